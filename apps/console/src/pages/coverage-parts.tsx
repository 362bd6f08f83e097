// The coverage figure the posture and standards pages show beside their score, and the warning
// when the evaluator lags. Both lead to the coverage view at the instant the page shows.
import type { CoverageSummary } from '../api/operations';
import { formatScore } from '../charts/scale';
import { Stat } from '../components/ui';
import { behindText, coverageSentence, oldestEvidenceText } from '../posture/coverage';
import { Link } from '../router/router';
import { pathFor } from '../router/routes';

/** The coverage view of the tenant, now or as of the instant the linking page shows. */
export const coveragePath = (tenantId: string, asOf: string | null): string => `${pathFor({ name: 'coverage', tenantId })}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`;

export const CoverageStat = ({ tenantId, coverage, asOf, scope }: { tenantId: string; coverage: CoverageSummary; asOf: string | null; scope?: string }) => {
  const oldest = oldestEvidenceText(coverage, asOf ?? Date.now());
  return (
    <Stat
      label="Coverage"
      value={formatScore(coverage.score)}
      detail={
        <>
          {coverageSentence(coverage, scope)}
          {oldest ? `; ${oldest}` : ''} · <Link to={coveragePath(tenantId, asOf)}>Coverage details</Link>
        </>
      }
    />
  );
};

export const EvaluatorBehind = ({ evaluatedThrough }: { evaluatedThrough: string | null }) => {
  const text = behindText(evaluatedThrough);
  return text ? <p className="notice notice-warning small">{text}</p> : null;
};
