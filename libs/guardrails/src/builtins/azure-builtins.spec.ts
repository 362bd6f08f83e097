import { builtInDefinition, builtInDefinitions, builtInInitiative, builtInInitiatives, builtInNameOf } from './azure-builtins';

describe("Azure's built-ins, vendored", () => {
  it('finds a definition by its id, as initiatives name it', () => {
    const definition = builtInDefinition('/providers/Microsoft.Authorization/policyDefinitions/E71308D3-144B-4262-B144-EFDC3CC90517') as {
      name: string;
      properties: { displayName: string; policyRule: unknown };
    };
    expect(definition.name).toBe('e71308d3-144b-4262-b144-efdc3cc90517');
    expect(definition.properties.displayName).toBe('Subnets should be associated with a Network Security Group');
    expect(definition.properties.policyRule).toBeDefined();
    expect(builtInDefinition('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('lists every definition and initiative once per name, the regulatory standards among them', () => {
    const definitions = builtInDefinitions();
    expect(definitions.length).toBeGreaterThan(3_500);
    expect(new Set(definitions.map((d) => d.name)).size).toBe(definitions.length);
    // Azure Government's copies share the public definitions' names; only its few own ones remain.
    expect(definitions.filter((d) => d.category.startsWith('Azure Government')).length).toBeLessThan(20);
    const standards = builtInInitiatives().filter((i) => i.category === 'Regulatory Compliance');
    expect(standards.length).toBeGreaterThanOrEqual(60);
    const cis = standards.find((s) => s.displayName === 'CIS Microsoft Azure Foundations Benchmark v2.0.0');
    expect(cis).toBeDefined();
    expect((builtInInitiative(cis!.name) as { properties: { policyDefinitions: unknown[] } }).properties.policyDefinitions.length).toBeGreaterThan(100);
  });

  it('reads names out of ids', () => expect(builtInNameOf('/providers/Microsoft.Authorization/policySetDefinitions/ABC')).toBe('abc'));
});
