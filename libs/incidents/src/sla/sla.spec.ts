import type { Signal } from '../events';
import { correlate, withSignal, type OpenIncidentView } from '../correlation/correlation';
import { dueBreaches, meanTimes, meanTimesBy, slaState, type IncidentTimes } from './sla';

const opened = '2026-11-29T10:00:00.000Z';
const high: IncidentTimes = { severity: 'high', openedAt: opened, triagedAt: null, containedAt: null, resolvedAt: null, breached: [] };
const at = (minutes: number) => new Date(Date.parse(opened) + minutes * 60_000);

describe('SLAs', () => {
  it('are due when a target time passes without its milestone, once', () => {
    expect(dueBreaches(high, at(29))).toEqual([]);
    expect(dueBreaches(high, at(30))).toEqual([{ target: 'acknowledge', dueAt: '2026-11-29T10:30:00.000Z' }]);
    expect(dueBreaches({ ...high, breached: ['acknowledge'] }, at(31))).toEqual([]);
    expect(dueBreaches({ ...high, triagedAt: at(10).toISOString() }, at(31))).toEqual([]);
    expect(dueBreaches({ ...high, triagedAt: at(10).toISOString() }, at(4 * 60)).map((b) => b.target)).toEqual(['contain']);
  });

  it('tell a queue ok, at risk (last fifth of the running target) or breached', () => {
    expect(slaState(high, at(10))).toBe('ok');
    expect(slaState(high, at(25))).toBe('at-risk');
    expect(slaState(high, at(31))).toBe('breached');
    expect(slaState({ ...high, triagedAt: at(5).toISOString(), containedAt: at(6).toISOString(), resolvedAt: at(7).toISOString() }, at(10_000))).toBe('ok');
  });

  it('give MTTA, MTTC and MTTR over the incidents of a period', () => {
    const a = { ...high, triagedAt: at(10).toISOString(), containedAt: at(60).toISOString(), resolvedAt: at(120).toISOString() };
    const b = { ...high, openedAt: at(60).toISOString(), triagedAt: at(80).toISOString(), containedAt: null, resolvedAt: null };
    const outside = { ...a, openedAt: '2026-10-01T00:00:00.000Z' };
    expect(meanTimes([a, b, outside], new Date('2026-11-29T00:00:00Z'), new Date('2026-11-30T00:00:00Z'))).toEqual({
      incidents: 2,
      mttaSeconds: 15 * 60,
      mttcSeconds: 60 * 60,
      mttrSeconds: 120 * 60,
    });
    expect(meanTimes([], at(0), at(1)).mttaSeconds).toBeNull();
  });

  it('give them per group, an incident counting in each of its groups and groups without incidents in the period left out', () => {
    const a = { ...high, tenant: 'bank', triagedAt: at(10).toISOString(), containedAt: null, resolvedAt: null };
    const b = { ...high, tenant: 'shop', triagedAt: at(30).toISOString(), containedAt: null, resolvedAt: null };
    const old = { ...high, tenant: 'mill', openedAt: '2026-10-01T00:00:00.000Z', triagedAt: null, containedAt: null, resolvedAt: null };
    const teams: Record<string, string[]> = { bank: ['blue', 'red'], shop: ['blue', 'blue'], mill: ['green'] };
    const groups = meanTimesBy([a, b, old], new Date('2026-11-29T00:00:00Z'), new Date('2026-11-30T00:00:00Z'), (i) => teams[i.tenant]);
    expect(groups).toEqual([
      { key: 'blue', times: { incidents: 2, mttaSeconds: 20 * 60, mttcSeconds: null, mttrSeconds: null } },
      { key: 'red', times: { incidents: 1, mttaSeconds: 10 * 60, mttcSeconds: null, mttrSeconds: null } },
    ]);
  });
});

describe('correlation', () => {
  const app = '/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/app';
  const signal = (over: Partial<Signal> = {}): Signal => ({
    kind: 'alert',
    ref: 'defender:1',
    title: 'Suspicious request',
    severity: 'high',
    resourceKeys: [app],
    entities: ['ip:203.0.113.7'],
    detectedAt: '2026-11-29T12:00:00.000Z',
    ...over,
  });
  const incident = (over: Partial<OpenIncidentView> = {}): OpenIncidentView => ({
    incidentId: 'inc-1',
    status: 'triaged',
    signalRefs: ['f-1'],
    resourceKeys: [app],
    entities: [],
    lastSignalAt: '2026-11-29T10:00:00.000Z',
    ...over,
  });

  it('deduplicates the same external alert, wherever it went', () => {
    expect(correlate(signal(), [incident({ signalRefs: ['defender:1'], status: 'closed' })])).toEqual({ decision: 'duplicate', incidentId: 'inc-1' });
  });

  it('attaches a signal on the same resource or entity within the window to the open incident', () => {
    expect(correlate(signal(), [incident()])).toEqual({ decision: 'attach', incidentId: 'inc-1', on: app });
    expect(correlate(signal({ resourceKeys: [] }), [incident({ entities: ['ip:203.0.113.7'] })])).toEqual({ decision: 'attach', incidentId: 'inc-1', on: 'ip:203.0.113.7' });
  });

  it('opens a new incident outside the window, for closed incidents, or for other resources', () => {
    expect(correlate(signal(), [incident({ lastSignalAt: '2026-11-27T00:00:00.000Z' })])).toEqual({ decision: 'open' });
    expect(correlate(signal(), [incident({ status: 'closed' })])).toEqual({ decision: 'open' });
    expect(correlate(signal({ resourceKeys: ['/other'] , entities: [] }), [incident()])).toEqual({ decision: 'open' });
    expect(correlate(signal(), [incident()], 60)).toEqual({ decision: 'open' });
  });

  it('remembers a signal just recorded, so the next one of the same batch joins it', () => {
    const first = signal({ ref: 'defender:1', resourceKeys: ['/a'], entities: [] });
    const views = withSignal([], 'inc-9', first);
    expect(correlate(signal({ ref: 'defender:1' }), views)).toEqual({ decision: 'duplicate', incidentId: 'inc-9' });
    const joined = withSignal(views, 'inc-9', signal({ ref: 'defender:2', resourceKeys: ['/b'], entities: ['ip:1'], detectedAt: '2026-11-29T13:00:00.000Z' }));
    expect(joined).toEqual([
      { incidentId: 'inc-9', status: 'new', signalRefs: ['defender:1', 'defender:2'], resourceKeys: ['/a', '/b'], entities: ['ip:1'], lastSignalAt: '2026-11-29T13:00:00.000Z' },
    ]);
  });
});
