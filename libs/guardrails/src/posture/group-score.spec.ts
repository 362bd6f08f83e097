// A group's compliance from its members' scores: who fails most, and which controls fail in the most members.
import type { ComplianceScore } from './score';
import { groupCompliance } from './group-score';

const score = (nonCompliant: number, controls: Record<string, number>): ComplianceScore => ({
  overall: { compliant: 10, nonCompliant, error: 0, exempt: 0, score: 10 / (10 + nonCompliant) },
  baselines: [],
  frameworks: [{ framework: 'MCSB', compliant: 10, nonCompliant, error: 0, exempt: 0, score: null, controls: Object.entries(controls).map(([control, n]) => ({ control, compliant: 1, nonCompliant: n, error: 0, exempt: 0, score: null })) }],
});

describe("a tenant group's compliance", () => {
  it('ranks the members failing most, and the controls failing in the most members', () => {
    const group = groupCompliance([
      { tenantId: 'bank-a', score: score(2, { 'NS-1': 2, 'DP-3': 0 }) },
      { tenantId: 'bank-b', score: score(5, { 'NS-1': 1, 'DP-3': 4 }) },
      { tenantId: 'bank-c', score: score(0, { 'DP-3': 0 }) },
    ]);
    expect(group.members.map((m) => [m.tenantId, m.nonCompliant])).toEqual([
      ['bank-b', 5],
      ['bank-a', 2],
      ['bank-c', 0],
    ]);
    expect(group.controls).toEqual([
      { framework: 'MCSB', control: 'NS-1', failingTenants: 2, tenants: 2, nonCompliant: 3 },
      { framework: 'MCSB', control: 'DP-3', failingTenants: 1, tenants: 3, nonCompliant: 4 },
    ]);
  });
});
