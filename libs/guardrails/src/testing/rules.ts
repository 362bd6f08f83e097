// Test helpers: small definitions around one condition, and what a rule made of it says about a
// resource. Used by the rule engine's specs only.
import { compilePolicy, type CompileOptions, type CompiledPolicy, type EvaluationContext, type Verdict } from '../rule-engine/policy';
import type { PolicyResource } from '../rule-engine/resource';

export interface RuleOptions {
  readonly mode?: string;
  readonly effect?: string;
  readonly parameters?: Record<string, unknown>;
  readonly details?: unknown;
}

/** A full definition (the shape `az policy definition show` prints) around an `if` condition. */
export const definition = (condition: unknown, options: RuleOptions = {}) => ({
  properties: {
    mode: options.mode ?? 'All',
    parameters: options.parameters ?? {},
    policyRule: { if: condition, then: { effect: options.effect ?? 'Audit', ...(options.details ? { details: options.details } : {}) } },
  },
});

export const compiled = (input: unknown, options?: CompileOptions): CompiledPolicy => {
  const result = compilePolicy(input, options);
  if (!result.ok) throw new Error(`refused: ${result.refusal.reason}: ${result.refusal.message}`);
  return result.policy;
};

export const storageAccount = (properties: Record<string, unknown> = {}, top: Partial<PolicyResource> = {}): PolicyResource => ({
  id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Storage/storageAccounts/sa1',
  name: 'sa1',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  kind: 'StorageV2',
  tags: { env: 'prod', 'Acct.CostCenter': '42' },
  properties,
  ...top,
});

export type Outcome = 'match' | 'no match' | 'not applicable' | 'disabled' | `error: ${string}`;

const outcomeOf = (verdict: Verdict): Outcome => {
  // Compliant by default, but nothing was checked.
  if (verdict.disabled) return 'disabled';
  switch (verdict.state) {
    case 'nonCompliant':
      return 'match';
    case 'compliant':
      return 'no match';
    case 'notApplicable':
      return 'not applicable';
    case 'error':
      return `error: ${verdict.error?.reason ?? 'unknown'}`;
  }
};

/** Evaluates `condition` as the whole `if` of an Audit rule: 'match' when the rule's condition is true. */
export const outcome = (
  condition: unknown,
  resource: PolicyResource = storageAccount(),
  options: RuleOptions & { context?: EvaluationContext } = {},
): Outcome => outcomeOf(compiled(definition(condition, options)).evaluate(resource, options.context));
