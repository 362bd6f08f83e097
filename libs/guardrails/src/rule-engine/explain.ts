// Verdicts in words, for `rampart policy test` and findings: which condition decided, the value found,
// the operator and the value expected.
import type { ConditionTrace } from './conditions';
import type { Verdict } from './policy';
import { describeRelatedScope } from './related-scope';
import { preview } from './values';

export const describeCondition = (t: ConditionTrace): string => {
  const expected = preview(t.expected, 120);
  const outcome = t.result ? 'true' : 'false';
  if (t.kind === 'count') return `${t.path}: ${t.subject} = ${String(t.actual)} (of ${t.of}); ${t.operator} ${expected} is ${outcome}`;
  const label = t.kind === 'field' ? `field ${t.subject}` : `value ${t.subject}`;
  const found = t.missing ? 'is missing' : t.collection ? `selects ${preview(t.actual, 120)} (each must match)` : `is ${preview(t.actual, 120)}`;
  return `${t.path}: ${label} ${found}; ${t.operator} ${expected} is ${outcome}`;
};

/** Several lines: the summary, the deciding conditions, and the related resources looked at. */
export const describeVerdict = (v: Verdict): string => {
  const lines = [v.explanation.summary];
  for (const t of v.explanation.conditions) lines.push(`  ${describeCondition(t)}`);
  const related = v.explanation.related;
  if (related) {
    const q = related.query;
    const elsewhere = related.elsewhere ? `; ${related.elsewhere} elsewhere, not counted (Azure looks ${describeRelatedScope(q)})` : '';
    lines.push(`  related ${q.type}${q.name ? ` named ${q.name}` : ''} (${q.scope}): ${related.candidates} found${elsewhere}`);
    for (const r of related.evaluations) {
      lines.push(`    ${r.resource}: ${r.satisfied ? 'satisfies' : 'does not satisfy'} the existence condition`);
      for (const t of r.conditions) lines.push(`      ${describeCondition(t)}`);
    }
  }
  if (v.error) lines.push(`  error ${v.error.reason}${v.error.path ? ` at ${v.error.path}` : ''}: ${v.error.message}`);
  return lines.join('\n');
};
