// The three requests the bench sends, each as the console sends it, with the principal that sends
// it and what a full answer must hold (checked once before the load).
import type { RoleGrant } from '@rampart/auth';
import { TENANTS_QUERY, type RequestShape } from './load';
import { SOC_TEAM, workloadTenants } from './workload';

export type ShapeName = 'tenants' | 'socQueue' | 'posture';

export interface Shape {
  readonly name: ShapeName;
  readonly label: string;
  /** The root field the answer is under. */
  readonly field: 'tenants' | 'incidents' | 'complianceScore';
  readonly request: RequestShape;
  readonly grant: RoleGrant;
  /** Why the answer is not a full one, or undefined. */
  problem(answer: unknown): string | undefined;
}

// As apps/console/src/api/operations.ts asks them (the SOC queue page, the posture page's score).
const QUEUE_FIELDS = 'tenantId incidentId title severity status slaState breached assignee openedAt revision labels resourceKeys signals { title }';
const TALLY = 'score compliant nonCompliant error exempt';
const COVERAGE_SUMMARY = 'resources evaluated notEvaluated score oldestEvidenceAt maxEvidenceAgeHours evaluatedThrough';
const SCORE = `overall { ${TALLY} } baselines { baselineId ${TALLY} } frameworks { framework ${TALLY} controls { control ${TALLY} } } coverage { ${COVERAGE_SUMMARY} }`;

interface Connection {
  readonly edges?: readonly unknown[];
  readonly pageInfo?: { readonly hasNextPage?: boolean };
}

const fullPage = (answer: unknown, what: string): string | undefined => {
  const page = answer as Connection | undefined;
  const n = page?.edges?.length ?? 0;
  if (n !== 50 || !page?.pageInfo?.hasNextPage) return `expected a full page of 50 ${what} with a next page, got ${n} (hasNextPage ${page?.pageInfo?.hasNextPage})`;
  return undefined;
};

export const SHAPES: readonly Shape[] = [
  {
    name: 'tenants',
    label: 'tenants page (platform admin)',
    field: 'tenants',
    request: { query: TENANTS_QUERY },
    grant: { role: 'platform.admin' },
    problem: (answer) => fullPage(answer, 'tenants'),
  },
  {
    name: 'socQueue',
    label: 'SOC queue, 200 tenants (SOC analyst)',
    field: 'incidents',
    request: { query: `query SocQueue { incidents(first: 50, filter: { open: true }) { edges { node { ${QUEUE_FIELDS} } } pageInfo { hasNextPage endCursor } } }` },
    grant: { role: 'soc.analyst', socTeam: SOC_TEAM },
    problem: (answer) => fullPage(answer, 'open incidents'),
  },
  {
    name: 'posture',
    label: 'posture, per-control scores (customer viewer)',
    field: 'complianceScore',
    request: { query: `query Posture($tenantId: ID!) { complianceScore(tenantId: $tenantId) { tenantId ${SCORE} } }`, variables: { tenantId: workloadTenants()[0] } },
    grant: { role: 'customer.viewer', tenantId: workloadTenants()[0] },
    problem: (answer) => {
      const score = answer as { frameworks?: { controls?: unknown[] }[]; overall?: { compliant?: number; nonCompliant?: number } } | undefined;
      const controls = (score?.frameworks ?? []).reduce((n, f) => n + (f.controls?.length ?? 0), 0);
      if (!score?.overall || (score.overall.compliant ?? 0) + (score.overall.nonCompliant ?? 0) === 0) return 'the score counts no verdicts';
      if (controls < 10) return `expected per-control scores, got ${controls} controls`;
      return undefined;
    },
  },
];

/** The answer's structure without its values: what two runs on different stores must share. */
export const structureOf = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(structureOf)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structureOf(v)]))
      : typeof value;
