import {
  EventIdConflictError,
  InvalidEventError,
  START,
  tenantPartitionOf,
  WrongExpectedRevisionError,
  type GlobalPosition,
  type RecordedEvent,
} from '@rampart/event-sourcing';
import { testEvent } from '../contract/fixtures';
import {
  alreadyAppended,
  fromEsdbCurrentRevision,
  fromEsdbRevision,
  isSystemEvent,
  laterPosition,
  matchesPlan,
  planLogFilter,
  recordedFromResolved,
  redactConnectionString,
  scanAllPage,
  scanHeadPage,
  toEsdbExpectedRevision,
  toEsdbReadPosition,
  toGlobalPosition,
  toWrongExpectedRevisionError,
  type EsdbRecordedEvent,
  type EsdbResolvedEvent,
  type LogFilterPlan,
} from './esdb-mapping';

const pos = (commit: number, prepare = commit): GlobalPosition => ({ commit: BigInt(commit), prepare: BigInt(prepare) });

const metadata = testEvent('acme').metadata;

const esdbEvent = (overrides: Partial<EsdbRecordedEvent> = {}): EsdbRecordedEvent => ({
  streamId: 't-acme:thing-1',
  id: '5f1b7c1e-8d6a-4c1e-9f3e-0a1b2c3d4e5f',
  revision: 3n,
  type: 'test.SomethingHappened.v1',
  isJson: true,
  data: { n: 1 },
  metadata,
  created: new Date('2026-11-29T10:00:01.000Z'),
  position: { commit: 1200n, prepare: 1100n },
  ...overrides,
});

const at = (commit: number, streamId = 't-acme:thing-1', type = 'test.SomethingHappened.v1'): EsdbResolvedEvent => ({
  event: esdbEvent({ streamId, type, position: pos(commit), id: `00000000-0000-4000-8000-${String(commit).padStart(12, '0')}` }),
  commitPosition: BigInt(commit),
});

const positionsOf = (events: readonly EsdbResolvedEvent[]): (bigint | undefined)[] => events.map((e) => e.event?.position?.commit);

describe('expected revision mapping', () => {
  it.each([
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    ['any', 'any'],
    [0, 0n],
    [41, 41n],
  ] as const)('%p becomes %p', (ours, theirs) => {
    expect(toEsdbExpectedRevision(ours)).toBe(theirs);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('refuses %p as a revision', (bad) => {
    expect(() => toEsdbExpectedRevision(bad)).toThrow(InvalidEventError);
  });

  it('maps revisions from bigint to number and refuses what a number cannot hold', () => {
    expect(fromEsdbRevision(0n)).toBe(0);
    expect(fromEsdbRevision(123_456_789n)).toBe(123_456_789);
    expect(() => fromEsdbRevision(2n ** 60n)).toThrow(RangeError);
    expect(() => fromEsdbRevision(-1n)).toThrow(RangeError);
  });

  it('maps the current revision, including a missing stream', () => {
    expect(fromEsdbCurrentRevision('no_stream')).toBe('no_stream');
    expect(fromEsdbCurrentRevision(-1n)).toBe('no_stream');
    expect(fromEsdbCurrentRevision(7n)).toBe(7);
  });

  it('turns a wrong expected version into the port error', () => {
    const error = toWrongExpectedRevisionError('t-acme:thing-1', 0, 4n);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 't-acme:thing-1', expected: 0, actual: 4, code: 'wrong-expected-revision' });
    expect(toWrongExpectedRevisionError('s', 'stream_exists', 'no_stream').actual).toBe('no_stream');
  });
});

describe('positions', () => {
  it('copies commit and prepare', () => {
    const esdb = { commit: 9_007_199_254_740_993n, prepare: 9_007_199_254_740_990n };
    const ours = toGlobalPosition(esdb);
    expect(ours).toEqual({ commit: 9_007_199_254_740_993n, prepare: 9_007_199_254_740_990n });
    expect(ours).not.toBe(esdb);
  });

  it('reads from the start for START and from the position otherwise', () => {
    expect(toEsdbReadPosition(START)).toBe('start');
    expect(toEsdbReadPosition(pos(10, 8))).toEqual({ commit: 10n, prepare: 8n });
  });

  it('picks the later position', () => {
    expect(laterPosition(pos(5), pos(7))).toEqual(pos(7));
    expect(laterPosition(pos(7, 9), pos(7, 3))).toEqual(pos(7, 9));
  });
});

describe('recorded event mapping', () => {
  it('maps a JSON event to the envelope', () => {
    expect(recordedFromResolved({ event: esdbEvent() })).toEqual({
      eventId: '5f1b7c1e-8d6a-4c1e-9f3e-0a1b2c3d4e5f',
      streamId: 't-acme:thing-1',
      revision: 3,
      type: 'test.SomethingHappened.v1',
      data: { n: 1 },
      metadata,
      globalPosition: { commit: 1200n, prepare: 1100n },
      recordedAt: '2026-11-29T10:00:01.000Z',
    });
  });

  it('decodes JSON stored as bytes and uses START when a stream read carries no position', () => {
    const bytes = (v: unknown) => new Uint8Array(Buffer.from(JSON.stringify(v), 'utf8'));
    const recorded = recordedFromResolved({
      event: esdbEvent({ isJson: false, data: bytes({ n: 2 }), metadata: bytes(metadata), position: undefined }),
    });
    expect(recorded.data).toEqual({ n: 2 });
    expect(recorded.metadata).toEqual(metadata);
    expect(recorded.globalPosition).toEqual(START);
  });

  it('refuses events Rampart did not write', () => {
    expect(() => recordedFromResolved({})).toThrow(/no event/);
    expect(() => recordedFromResolved({ event: esdbEvent({ metadata: undefined }) })).toThrow(/no Rampart metadata/);
    expect(() => recordedFromResolved({ event: esdbEvent({ metadata: { tenant: 'acme' } }) })).toThrow(/no Rampart metadata/);
    expect(() =>
      recordedFromResolved({ event: esdbEvent({ isJson: false, data: new Uint8Array([0xff, 0x00]) }) }),
    ).toThrow(/not JSON/);
  });

  it('rejects system events', () => {
    expect(() => recordedFromResolved({ event: esdbEvent({ type: '$statsCollected' }) })).toThrow(/system event/);
    expect(() => recordedFromResolved({ event: esdbEvent({ streamId: '$$t-acme:thing-1', type: 'x.Y.v1' }) })).toThrow(
      /system event/,
    );
  });

  it.each([
    [{ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' }, true],
    [{ streamId: '$ce-thing', type: '$>' }, true],
    [{ streamId: '$scavenges', type: 'scavengeStarted' }, true],
    [{ streamId: 't-acme:thing-1', type: '$metadata' }, true],
    [{ streamId: 't-acme:thing-1', type: 'test.SomethingHappened.v1' }, false],
  ])('%p is a system event: %p', (event, expected) => {
    expect(isSystemEvent(event)).toBe(expected);
  });
});

describe('idempotent appends', () => {
  const stored = (event: ReturnType<typeof testEvent>, revision: number, commit: number): RecordedEvent => ({
    ...event,
    streamId: 't-acme:thing-1',
    revision,
    globalPosition: pos(commit),
    recordedAt: '2026-11-29T10:00:01.000Z',
  });

  it('finds nothing when no id is in the tail', () => {
    const a = testEvent('acme');
    expect(alreadyAppended([testEvent('acme')], [stored(a, 0, 10)])).toBeUndefined();
    expect(alreadyAppended([a], [])).toBeUndefined();
  });

  it('reports a re-append of the same events with the stream head and the last of their positions', () => {
    const [a, b, c] = [testEvent('acme', undefined, { n: 0 }), testEvent('acme', undefined, { n: 1 }), testEvent('acme')];
    // tail as read backwards: newest first; keys in another order still compare equal
    const tail = [stored(c, 2, 30), stored(b, 1, 20), stored({ ...a, data: { n: 0 } }, 0, 10)];
    expect(alreadyAppended([a, { ...b, eventId: b.eventId.toUpperCase() }], tail)).toEqual({
      nextExpectedRevision: 2,
      position: pos(20),
      alreadyAppended: true,
    });
  });

  it('refuses a reused id with other data or type', () => {
    const a = testEvent('acme');
    const tail = [stored(a, 0, 10)];
    expect(() => alreadyAppended([{ ...a, data: { n: 99 } }], tail)).toThrow(EventIdConflictError);
    expect(() => alreadyAppended([{ ...a, type: 'test.OtherThing.v1' }], tail)).toThrow(/type or data differ/);
  });

  it('refuses a batch of which only part was appended', () => {
    const a = testEvent('acme');
    expect(() => alreadyAppended([a, testEvent('acme')], [stored(a, 0, 10)])).toThrow(/part of this batch/);
  });
});

describe('log filter planning', () => {
  it('without a filter excludes system events only', () => {
    const plan = planLogFilter();
    expect(plan).toEqual({ matchesNothing: false, streamPrefixes: undefined, eventTypes: undefined, server: { on: 'excludeSystemEvents' } });
    expect(planLogFilter({ streamPrefixes: [], eventTypes: [] })).toEqual(plan);
    expect(matchesPlan(plan, { streamId: 'platform-x', type: 'a.B.v1' })).toBe(true);
    expect(matchesPlan(plan, { streamId: '$stats-1', type: '$statsCollected' })).toBe(false);
  });

  it('turns a tenant into its stream prefix, on the server', () => {
    const plan = planLogFilter({ tenantId: 'acme' });
    expect(plan).toMatchObject({ streamPrefixes: ['t-acme:'], server: { on: 'streamName', prefixes: ['t-acme:'] } });
    expect(matchesPlan(plan, { streamId: 't-acme:thing-1', type: 'a.B.v1' })).toBe(true);
    expect(matchesPlan(plan, { streamId: 't-acme-2:thing-1', type: 'a.B.v1' })).toBe(false);
    expect(matchesPlan(plan, { streamId: 't-acme:thing-1', type: '$metadata' })).toBe(false);
  });

  it('refuses an invalid tenant id', () => {
    expect(() => planLogFilter({ tenantId: 'Not A Tenant' })).toThrow(/not a valid tenant id/);
  });

  it('uses stream prefixes as given', () => {
    const plan = planLogFilter({ streamPrefixes: ['t-a:incident-', 't-b:', 't-b:'] });
    expect(plan).toMatchObject({ streamPrefixes: ['t-a:incident-', 't-b:'], server: { on: 'streamName', prefixes: ['t-a:incident-', 't-b:'] } });
    expect(matchesPlan(plan, { streamId: 't-a:incident-9', type: 'a.B.v1' })).toBe(true);
    expect(matchesPlan(plan, { streamId: 't-a:resource-9', type: 'a.B.v1' })).toBe(false);
    expect(matchesPlan(plan, { streamId: 't-b:resource-9', type: 'a.B.v1' })).toBe(true);
  });

  it('intersects a tenant with stream prefixes', () => {
    const plan = planLogFilter({ tenantId: 'a', streamPrefixes: ['t-a:incident-', 't-b:', 't-'] });
    // "t-a:incident-" is inside the tenant, "t-b:" outside, "t-" wider than it (so: the whole tenant)
    expect(plan).toMatchObject({ streamPrefixes: ['t-a:incident-', 't-a:'], server: { on: 'streamName', prefixes: ['t-a:incident-', 't-a:'] } });
    expect(matchesPlan(plan, { streamId: 't-a:resource-1', type: 'a.B.v1' })).toBe(true);
    expect(matchesPlan(plan, { streamId: 't-b:incident-1', type: 'a.B.v1' })).toBe(false);
  });

  it('matches nothing when the tenant and the prefixes do not intersect', () => {
    const plan = planLogFilter({ tenantId: 'a', streamPrefixes: ['t-b:', 'platform-'] });
    expect(plan).toEqual({ matchesNothing: true });
    expect(matchesPlan(plan, { streamId: 't-a:x', type: 'a.B.v1' })).toBe(false);
  });

  it('filters event types on the server by prefix when there is no stream filter, exactly on the client', () => {
    const plan = planLogFilter({ eventTypes: ['inventory.ResourceRemoved.v1'] });
    expect(plan).toMatchObject({ streamPrefixes: undefined, server: { on: 'eventType', prefixes: ['inventory.ResourceRemoved.v1'] } });
    expect(matchesPlan(plan, { streamId: 't-a:r-1', type: 'inventory.ResourceRemoved.v1' })).toBe(true);
    // matches the server's prefix, not the exact type
    expect(matchesPlan(plan, { streamId: 't-a:r-1', type: 'inventory.ResourceRemoved.v12' })).toBe(false);
  });

  it('keeps the stream filter on the server and checks event types on the client when both are given', () => {
    const plan = planLogFilter({ tenantId: 'a', eventTypes: ['inventory.ResourceRemoved.v1'] });
    expect(plan).toMatchObject({
      streamPrefixes: ['t-a:'],
      eventTypes: ['inventory.ResourceRemoved.v1'],
      server: { on: 'streamName', prefixes: ['t-a:'] },
    });
    expect(matchesPlan(plan, { streamId: 't-a:r-1', type: 'inventory.ResourceRemoved.v1' })).toBe(true);
    expect(matchesPlan(plan, { streamId: 't-a:r-1', type: 'inventory.ResourceDiscovered.v1' })).toBe(false);
    expect(matchesPlan(plan, { streamId: 't-b:r-1', type: 'inventory.ResourceRemoved.v1' })).toBe(false);
  });

  it("keeps a tenant partition's events only, by the metadata's tenant, on the client", () => {
    const plan = planLogFilter({ eventTypes: ['a.B.v1'], tenantPartition: { index: tenantPartitionOf('acme', 4), count: 4 } });
    expect(plan).toMatchObject({ server: { on: 'eventType', prefixes: ['a.B.v1'] }, tenantPartition: { index: tenantPartitionOf('acme', 4), count: 4 } });
    const bytes = (metadata: unknown) => new TextEncoder().encode(JSON.stringify(metadata));
    const other = Array.from({ length: 20 }, (_, i) => `t${i}`).find((t) => tenantPartitionOf(t, 4) !== tenantPartitionOf('acme', 4))!;
    expect(matchesPlan(plan, { streamId: 't-acme:r-1', type: 'a.B.v1', metadata: bytes({ tenantId: 'acme' }) })).toBe(true);
    expect(matchesPlan(plan, { streamId: 't-acme:r-1', type: 'a.B.v1', metadata: { tenantId: 'acme' } })).toBe(true);
    expect(matchesPlan(plan, { streamId: `t-${other}:r-1`, type: 'a.B.v1', metadata: bytes({ tenantId: other }) })).toBe(false);
    expect(matchesPlan(plan, { streamId: 't-acme:r-1', type: 'a.C.v1', metadata: bytes({ tenantId: 'acme' }) })).toBe(false);
    expect(matchesPlan(plan, { streamId: 't-acme:r-1', type: 'a.B.v1', metadata: new Uint8Array([123]) })).toBe(false); // not JSON
    expect(() => planLogFilter({ tenantPartition: { index: 4, count: 4 } })).toThrow(RangeError);
    expect(() => planLogFilter({ tenantPartition: { index: 0, count: 0 } })).toThrow(RangeError);
  });

  it("checks on the client whether staff acted on a tenant's behalf, from metadata as the client hands it over", () => {
    const plan = planLogFilter({ tenantId: 'a', actedOnBehalf: true });
    const bytes = (metadata: unknown) => new TextEncoder().encode(JSON.stringify(metadata));
    const event = (metadata: unknown) => ({ streamId: 't-a:incident-1', type: 'incidents.IncidentTriaged.v1', metadata });
    expect(matchesPlan(plan, event(bytes({ tenantId: 'a', actor: { kind: 'user', id: 'ana', onBehalfOfTenant: 'a' } })))).toBe(true);
    expect(matchesPlan(plan, event({ tenantId: 'a', actor: { kind: 'user', id: 'ana', onBehalfOfTenant: 'a' } }))).toBe(true);
    expect(matchesPlan(plan, event(bytes({ tenantId: 'a', actor: { kind: 'user', id: 'it@a.example' } })))).toBe(false);
    expect(matchesPlan(plan, event(new Uint8Array([123, 110])))).toBe(false); // not JSON
    expect(matchesPlan(planLogFilter({ tenantId: 'a' }), event(bytes({ tenantId: 'a', actor: { kind: 'user', id: 'x' } })))).toBe(true);
  });
});

describe('reading $all in pages', () => {
  const all: LogFilterPlan = planLogFilter();

  it('treats `after` as exclusive: the event at that position is skipped', () => {
    const page = [at(100), at(200), at(300)];
    const scan = scanAllPage(page, pos(100), all, 10);
    expect(positionsOf(scan.matched)).toEqual([200n, 300n]);
    expect(scan).toMatchObject({ position: pos(300), filled: false });
  });

  it('reads everything from START', () => {
    expect(positionsOf(scanAllPage([at(100), at(200)], START, all, 10).matched)).toEqual([100n, 200n]);
  });

  it('compares prepare positions too', () => {
    const page = [at(100), { event: esdbEvent({ position: { commit: 100n, prepare: 150n } }) }];
    expect(scanAllPage(page, pos(100), all, 10).matched.map((e) => e.event?.position)).toEqual([{ commit: 100n, prepare: 150n }]);
  });

  it('stops at `wanted` matches with the position of the last one', () => {
    const scan = scanAllPage([at(100), at(200), at(300), at(400)], START, all, 2);
    expect(positionsOf(scan.matched)).toEqual([100n, 200n]);
    expect(scan).toMatchObject({ position: pos(200), filled: true });
  });

  it('moves the position past filtered-out and system events', () => {
    const plan = planLogFilter({ tenantId: 'a' });
    const page = [at(100, 't-a:x-1'), at(200, 't-b:x-1'), at(300, '$stats-1', '$statsCollected'), at(400, 't-a:x-1', '$metadata')];
    const scan = scanAllPage(page, START, plan, 10);
    expect(positionsOf(scan.matched)).toEqual([100n]);
    expect(scan).toMatchObject({ position: pos(400), filled: false });
  });

  it('keeps `after` as the position when nothing new was read', () => {
    expect(scanAllPage([at(100)], pos(100), all, 10)).toEqual({ matched: [], position: pos(100), filled: false });
    expect(scanAllPage([], pos(100), all, 10)).toEqual({ matched: [], position: pos(100), filled: false });
  });

  it('refuses events without a log position', () => {
    expect(() => scanAllPage([{ event: esdbEvent({ position: undefined }) }], START, all, 10)).toThrow(/no log position/);
  });

  it('finds the head: the newest non-system event of a backwards page', () => {
    const page = [at(500, '$stats-1', '$statsCollected'), at(400, '$ce-x', '$>'), at(300), at(200)];
    expect(scanHeadPage(page)).toEqual({ head: pos(300) });
    expect(scanHeadPage([at(500, '$stats-1', '$statsCollected'), at(400, '$ce-x', '$>')])).toEqual({ oldest: pos(400) });
    expect(scanHeadPage([at(400, '$ce-x', '$>'), at(300)], pos(400))).toEqual({ head: pos(300) });
    expect(scanHeadPage([])).toEqual({});
  });
});

describe('connection strings in messages', () => {
  it.each([
    ['esdb://admin:changeit@localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['esdb+discover://ops:p%40ss@cluster.example:2113', 'esdb+discover://cluster.example:2113'],
    ['esdb://127.0.0.1:1?tls=false', 'esdb://127.0.0.1:1?tls=false'],
    ['esdb://a:2113,b:2113?nodePreference=leader', 'esdb://a:2113,b:2113?nodePreference=leader'],
  ])('%s is shown as %s', (input, shown) => {
    expect(redactConnectionString(input)).toBe(shown);
  });
});
