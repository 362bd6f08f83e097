import { groupRows, matchesSearch, primaryResource, queueOrder, sortRows, type QueueRow } from './queue';

const row = (over: Partial<QueueRow>): QueueRow => ({
  tenantId: 'contoso-bank',
  incidentId: 'inc-1',
  title: 'Web app reachable without authentication',
  signals: [{ title: 'Web app reachable without authentication' }],
  severity: 'high',
  status: 'new',
  slaState: 'ok',
  assignee: null,
  openedAt: '2026-12-01T10:00:00.000Z',
  resourceKeys: [],
  ...over,
});
const names: Record<string, string> = { 'contoso-bank': 'Contoso Bank', 'fabrikam-retail': 'Fabrikam Retail' };
const name = (id: string) => names[id] ?? id;

describe('the incident queue', () => {
  const payments = row({ incidentId: 'inc-pay', title: 'Web app reachable without authentication on payments-api', resourceKeys: ['/subscriptions/s1/resourcegroups/rg/providers/microsoft.web/sites/payments-api'], slaState: 'at-risk' });
  const shop = row({ incidentId: 'inc-shop', title: 'Web app reachable without authentication on shop', tenantId: 'fabrikam-retail', resourceKeys: ['/subscriptions/s2/resourcegroups/rg/providers/microsoft.web/sites/shop', '/x/y'], severity: 'critical', openedAt: '2026-12-02T10:00:00.000Z' });
  const travel = row({ incidentId: 'inc-travel', title: 'Impossible travel sign-in', signals: [{ title: 'Impossible travel sign-in' }], severity: 'medium', slaState: 'breached', assignee: 'ana@soc.example', status: 'triaged' });

  it('finds an incident by the resource it names, its id, its tenant or its assignee, every word counting', () => {
    expect([payments, shop, travel].filter((r) => matchesSearch(r, 'payments-api', name)).map((r) => r.incidentId)).toEqual(['inc-pay']);
    expect([payments, shop, travel].filter((r) => matchesSearch(r, 'on payments', name)).map((r) => r.incidentId)).toEqual(['inc-pay']);
    expect([payments, shop, travel].filter((r) => matchesSearch(r, 'FABRIKAM web', name)).map((r) => r.incidentId)).toEqual(['inc-shop']);
    expect([payments, shop, travel].filter((r) => matchesSearch(r, 'inc-travel', name))).toEqual([travel]);
    expect([payments, shop, travel].filter((r) => matchesSearch(r, 'ana@', name))).toEqual([travel]);
    expect([payments, shop, travel].filter((r) => matchesSearch(r, '  ', name))).toHaveLength(3);
    expect(primaryResource(shop)).toEqual({ name: 'shop', key: shop.resourceKeys[0], more: 1 });
  });

  it('sorts by a column in its natural order or reversed, ties in queue order', () => {
    expect([payments, shop, travel].sort(queueOrder).map((r) => r.incidentId)).toEqual(['inc-travel', 'inc-pay', 'inc-shop']);
    expect(sortRows([payments, shop, travel], 'severity', 'asc', name).map((r) => r.incidentId)).toEqual(['inc-shop', 'inc-pay', 'inc-travel']);
    expect(sortRows([payments, shop, travel], 'severity', 'desc', name).map((r) => r.incidentId)).toEqual(['inc-travel', 'inc-pay', 'inc-shop']);
    expect(sortRows([payments, shop, travel], 'opened', 'asc', name)[0]).toBe(shop);
    expect(sortRows([payments, shop, travel], 'tenant', 'asc', name).map((r) => r.tenantId)).toEqual(['contoso-bank', 'contoso-bank', 'fabrikam-retail']);
    expect(sortRows([payments, shop, travel], 'resource', 'asc', name).map((r) => r.incidentId)).toEqual(['inc-travel', 'inc-pay', 'inc-shop']);
  });

  it('groups by guardrail (what raised the incident, not its title naming the resource) or resource, with counts, the most urgent group first', () => {
    const groups = groupRows(sortRows([payments, shop, travel], 'sla', 'asc', name), 'guardrail');
    expect(groups.map((g) => [g.label, g.rows.length])).toEqual([
      ['Impossible travel sign-in', 1],
      ['Web app reachable without authentication', 2],
    ]);
    expect(groupRows([payments, travel], 'resource').map((g) => g.label)).toEqual(['payments-api', 'No resource']);
  });
});
