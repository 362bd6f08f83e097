// How much of Azure's built-in catalogue the rule engine compiles (docs/guardrails-coverage.md): every
// real built-in definition is compiled in one go and refusals are counted by reason. Definitions no ARM
// inventory can evaluate are counted apart: Resource Provider modes (`*.Data`) and the Static placeholders.
import type { RefusalReason } from '../rule-engine/errors';
import { parseTemplateString, type ExpressionNode } from '../rule-engine/expression-parser';
import { compilePolicy } from '../rule-engine/policy';
import { builtInDefinition, builtInDefinitions, type BuiltInEntry } from './azure-builtins';

/**
 * - `real`: policyType BuiltIn in a Resource Manager mode (All or Indexed, any case);
 * - `data-plane`: a Resource Provider mode (`Microsoft.KeyVault.Data`, `Microsoft.Kubernetes.Data`, …),
 *   evaluated by Azure against data-plane objects an ARM inventory does not carry;
 * - `static`: policyType Static, the "Microsoft Managed Control" placeholders of Regulatory Compliance
 *   initiatives (no mode, a rule that never matches: `value "false" equals "true"`). Microsoft
 *   attests those controls; there is nothing to evaluate. (The customer-attested "manual" controls are
 *   BuiltIn with mode All and effect Manual: real, and compiled.)
 * - `other`: anything else (none in the vendored snapshot).
 */
export type BuiltInKind = 'real' | 'data-plane' | 'static' | 'other';

export const kindOfBuiltIn = (entry: Pick<BuiltInEntry, 'mode' | 'policyType'>): BuiltInKind => {
  if (entry.policyType === 'Static') return 'static';
  const mode = entry.mode ?? '';
  if (/\.data$/i.test(mode)) return 'data-plane';
  if (entry.policyType === 'BuiltIn' && /^(all|indexed)$/i.test(mode)) return 'real';
  return 'other';
};

export interface BuiltInRefusal {
  readonly name: string;
  readonly displayName: string;
  readonly reason: RefusalReason;
  readonly message: string;
}

export interface BuiltInCoverage {
  readonly byKind: ReadonlyMap<BuiltInKind, number>;
  /** Real definitions that compiled. */
  readonly compiled: number;
  readonly refusals: readonly BuiltInRefusal[];
  /** Refused real definitions per reason (the first refusal of each definition). */
  readonly byReason: ReadonlyMap<RefusalReason, number>;
  /** The alias or field named by each unknown-alias refusal, with how many definitions it stopped. */
  readonly unknownAliases: ReadonlyMap<string, number>;
  /**
   * Functions the engine does not support, with how many refused definitions call each anywhere in
   * their rule (not only the first call that stopped them): what implementing each would unblock.
   */
  readonly unsupportedFunctions: ReadonlyMap<string, number>;
}

const increment = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

/** Function names called by the expressions of a rule (not of deployment templates, which ARM evaluates). */
const functionsCalled = (rule: unknown): Iterable<string> => {
  // Lowercase -> the first spelling met (ARM function names are case-insensitive).
  const names = new Map<string, string>();
  const walkExpression = (node: ExpressionNode): void => {
    if (node.kind === 'call') {
      if (!names.has(node.name.toLowerCase())) names.set(node.name.toLowerCase(), node.name);
      node.args.forEach(walkExpression);
    } else if (node.kind === 'property') walkExpression(node.target);
    else if (node.kind === 'index') {
      walkExpression(node.target);
      walkExpression(node.index);
    }
  };
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      try {
        const parsed = parseTemplateString(node);
        if ('expression' in parsed) walkExpression(parsed.expression);
      } catch {
        // Unparseable: the compile refusal says so.
      }
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) if (key.toLowerCase() !== 'deployment') visit(value);
  };
  visit(rule);
  return names.values();
};

/** Whether the engine compiles calls to the function: a one-call probe, so this module keeps no list of its own. */
const supported = new Map<string, boolean>();
const isSupported = (name: string): boolean => {
  const key = name.toLowerCase();
  let answer = supported.get(key);
  if (answer === undefined) {
    const probe = compilePolicy({ mode: 'All', policyRule: { if: { value: `[${name}()]`, equals: '' }, then: { effect: 'audit' } } });
    answer = probe.ok || probe.refusal.reason !== 'unsupported-function';
    supported.set(key, answer);
  }
  return answer;
};

/** Compiles every real built-in definition of the vendored catalogue (corpus/azure-builtins). */
export const measureBuiltInCoverage = (): BuiltInCoverage => {
  const byKind = new Map<BuiltInKind, number>();
  const byReason = new Map<RefusalReason, number>();
  const unknownAliases = new Map<string, number>();
  const unsupportedFunctions = new Map<string, number>();
  const refusals: BuiltInRefusal[] = [];
  const spellings = new Map<string, string>();
  let compiled = 0;
  for (const entry of builtInDefinitions()) {
    const kind = kindOfBuiltIn(entry);
    increment(byKind, kind);
    if (kind !== 'real') continue;
    const definition = builtInDefinition(entry.name);
    const result = compilePolicy(definition);
    if (result.ok) {
      compiled++;
      continue;
    }
    const { reason, message } = result.refusal;
    refusals.push({ name: entry.name, displayName: entry.displayName, reason, message });
    increment(byReason, reason);
    if (reason === 'unknown-alias') increment(unknownAliases, /^"(.*)" is neither/.exec(message)?.[1] ?? message);
    const rule = (definition as { properties?: { policyRule?: unknown } }).properties?.policyRule;
    for (const name of functionsCalled(rule)) {
      if (isSupported(name)) continue;
      const spelling = spellings.get(name.toLowerCase()) ?? name;
      spellings.set(name.toLowerCase(), spelling);
      increment(unsupportedFunctions, spelling);
    }
  }
  return { byKind, compiled, refusals, byReason, unknownAliases, unsupportedFunctions };
};
