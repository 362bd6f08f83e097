// Coverage of Azure's built-in definitions: every real one compiled in one process, refusals counted by
// reason and printed (docs/guardrails-coverage.md says how to read and re-measure them). Writes nothing.
import { builtInDefinitions } from './azure-builtins';
import { type BuiltInCoverage, kindOfBuiltIn, measureBuiltInCoverage } from './coverage';

/**
 * Share of real built-ins that must compile (the target was 0.99). Measured when set: 2,635 of 2,635;
 * 2,519 (95.6%) with the full alias data before the rule engine learnt base64(), uniqueString(),
 * format(), policy(), identity.userAssignedIdentities and empty allowedValues.
 */
const COVERAGE_THRESHOLD = 1;

/**
 * Names that are no alias in either public dump nor in the supplement: `identity.userAssignedIdentities`
 * is a top-level resource field (the rule engine's, not the alias table's). Any other unknown alias
 * is a gap of the alias data and fails this test.
 */
const FIELDS_NOT_IN_ALIAS_DATA = ['identity.userAssignedIdentities'];

const share = (coverage: BuiltInCoverage) => coverage.compiled / (coverage.byKind.get('real') ?? 0);

const describeCoverage = (c: BuiltInCoverage, ms: number) => {
  const sorted = (map: ReadonlyMap<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `    ${String(n).padStart(5)}  ${k}`);
  return [
    `Azure built-in definitions by kind: ${[...c.byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `real: ${c.compiled} of ${c.byKind.get('real')} compile (${(share(c) * 100).toFixed(2)}%), in ${ms.toFixed(0)} ms`,
    '  refused, by reason:',
    ...sorted(c.byReason),
    '  unknown aliases or fields (definitions stopped):',
    ...sorted(c.unknownAliases),
    '  unsupported functions (refused definitions calling each):',
    ...sorted(c.unsupportedFunctions),
    '  other refusals:',
    ...sorted(
      c.refusals
        .filter((r) => r.reason !== 'unknown-alias' && r.reason !== 'unsupported-function')
        .reduce((m, r) => m.set(`${r.reason}: ${r.message}`, (m.get(`${r.reason}: ${r.message}`) ?? 0) + 1), new Map<string, number>()),
    ),
  ].join('\n');
};

describe("coverage of Azure's built-in definitions", () => {
  let coverage: BuiltInCoverage;
  beforeAll(() => {
    const start = performance.now();
    coverage = measureBuiltInCoverage();
    console.log(describeCoverage(coverage, performance.now() - start));
  });

  it('given the vendored catalogue, when classified, then every definition is real, data-plane or a Static placeholder', () => {
    expect(coverage.byKind.get('other') ?? 0).toBe(0);
    // A missing mode marks exactly the Static placeholders: every other definition states its mode.
    const definitions = builtInDefinitions();
    expect(definitions.filter((d) => d.mode === undefined)).toEqual(definitions.filter((d) => kindOfBuiltIn(d) === 'static'));
    expect(coverage.byKind.get('real')).toBeGreaterThan(2_500);
  });

  it(`given every real built-in, when compiled, then at least ${COVERAGE_THRESHOLD * 100}% compile`, () => {
    expect(share(coverage)).toBeGreaterThanOrEqual(COVERAGE_THRESHOLD);
  });

  it('given the full alias data, when real built-ins are refused for an unknown name, then it is none the alias data could hold', () => {
    expect([...coverage.unknownAliases.keys()].filter((name) => !FIELDS_NOT_IN_ALIAS_DATA.includes(name))).toEqual([]);
  });

  it('given the classification, when a mode is a Resource Provider mode or the type Static, then it is counted apart', () => {
    expect(kindOfBuiltIn({ mode: 'Microsoft.KeyVault.Data', policyType: 'BuiltIn' })).toBe('data-plane');
    expect(kindOfBuiltIn({ mode: 'Microsoft.MachineLearningServices.v2.Data', policyType: 'BuiltIn' })).toBe('data-plane');
    expect(kindOfBuiltIn({ policyType: 'Static' })).toBe('static');
    expect(kindOfBuiltIn({ mode: 'indexed', policyType: 'BuiltIn' })).toBe('real');
    expect(kindOfBuiltIn({ mode: 'All', policyType: 'Custom' })).toBe('other');
  });
});
