import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePolicy, type PolicyResource } from '@rampart/guardrails';
import { buildRelatedIndex, parentIdOf } from './related-index';

const group = '/subscriptions/sub-1/resourceGroups/rg-data';
const server = (name: string): PolicyResource => ({
  id: `${group}/providers/Microsoft.Sql/servers/${name}`,
  name,
  type: 'microsoft.sql/servers',
  location: 'westeurope',
  subscriptionId: 'sub-1',
  resourceGroup: 'rg-data',
  properties: {},
});
const auditing = (serverName: string, state: string): PolicyResource => ({
  id: `${group}/providers/Microsoft.Sql/servers/${serverName}/auditingSettings/default`,
  name: 'default',
  type: 'microsoft.sql/servers/auditingsettings',
  subscriptionId: 'sub-1',
  resourceGroup: 'rg-data',
  properties: { state },
});
const diagnostics: PolicyResource = {
  id: `${group}/providers/Microsoft.Sql/servers/sql-a/providers/Microsoft.Insights/diagnosticSettings/to-law`,
  name: 'to-law',
  type: 'microsoft.insights/diagnosticsettings',
  properties: {},
};

describe('parentIdOf', () => {
  it('takes a child to its parent and an extension to the resource it extends, lowercase', () => {
    expect(parentIdOf(auditing('sql-A', 'Enabled').id as string)).toBe(`${group}/providers/Microsoft.Sql/servers/sql-A`.toLowerCase());
    expect(parentIdOf(diagnostics.id as string)).toBe(`${group}/providers/Microsoft.Sql/servers/sql-a`.toLowerCase());
    expect(parentIdOf(server('sql-a').id as string)).toBe(group.toLowerCase());
    expect(parentIdOf('/subscriptions/sub-1/resourceGroups/rg-data')).toBeUndefined();
  });
});

describe('buildRelatedIndex', () => {
  const index = buildRelatedIndex([server('sql-a'), server('sql-b'), auditing('sql-a', 'Enabled'), auditing('sql-b', 'Disabled'), diagnostics]);

  it("answers children of the asked resource only, whatever the id's or the type's casing", () => {
    const found = index.lookup({
      type: 'Microsoft.Sql/servers/auditingSettings',
      scope: 'children',
      resourceId: `${group}/providers/Microsoft.Sql/servers/SQL-A`.toUpperCase(),
    });
    expect(found.map((r) => r.id)).toEqual([auditing('sql-a', 'Enabled').id]);
  });

  it('answers extension resources of the asked resource', () => {
    const found = index.lookup({ type: 'Microsoft.Insights/diagnosticSettings', scope: 'extension', resourceId: server('sql-a').id });
    expect(found).toEqual([diagnostics]);
    expect(index.lookup({ type: 'Microsoft.Insights/diagnosticSettings', scope: 'extension', resourceId: server('sql-b').id })).toEqual([]);
  });

  it('answers a type within a resource group or a subscription', () => {
    const inGroup = index.lookup({ type: 'Microsoft.Sql/servers', scope: 'resourceGroup', subscriptionId: 'SUB-1', resourceGroup: 'RG-DATA' });
    expect(inGroup.map((r) => r.name)).toEqual(['sql-a', 'sql-b']);
    expect(index.lookup({ type: 'Microsoft.Sql/servers', scope: 'subscription', subscriptionId: 'sub-1' })).toHaveLength(2);
    expect(index.lookup({ type: 'Microsoft.Sql/servers', scope: 'resourceGroup', subscriptionId: 'sub-1', resourceGroup: 'rg-other' })).toEqual([]);
  });

  it('gives the engine what auditIfNotExists needs: the server with auditing on complies, the other does not', () => {
    const file = path.join(__dirname, '..', '..', '..', 'libs', 'guardrails', 'corpus', 'azure-policy', 'built-in', 'SQL', 'SqlServerAuditing_Audit.json');
    const compiled = compilePolicy(JSON.parse(readFileSync(file, 'utf8')));
    if (!compiled.ok) throw new Error(compiled.refusal.message);
    const context = { related: index.lookup, now: new Date('2026-01-01T00:00:00Z') };
    expect(compiled.policy.evaluate(server('sql-a'), context).state).toBe('compliant');
    expect(compiled.policy.evaluate(server('sql-b'), context).state).toBe('nonCompliant');
  });

  it('counts the lookups and those that found something', () => {
    const counted = buildRelatedIndex([server('sql-a'), auditing('sql-a', 'Enabled')]);
    counted.lookup({ type: 'Microsoft.Sql/servers/auditingSettings', scope: 'children', resourceId: server('sql-a').id });
    counted.lookup({ type: 'Microsoft.Sql/servers/auditingSettings', scope: 'children', resourceId: server('sql-b').id });
    expect(counted.stats()).toEqual({ lookups: 2, found: 1 });
  });
});
