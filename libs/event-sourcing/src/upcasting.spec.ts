import type { RecordedEvent } from './envelope';
import { upcasterChain } from './upcasting';

const recorded = (type: string, data: unknown): RecordedEvent => ({
  eventId: '00000000-0000-4000-8000-000000000001',
  streamId: 't-a:x-1',
  revision: 0,
  type,
  data,
  metadata: {
    tenantId: 'a',
    actor: { kind: 'system', id: 'test' },
    correlationId: 'c',
    causationId: null,
    occurredAt: '2026-01-01T00:00:00Z',
    schemaVersion: 1,
  },
  globalPosition: { commit: 1n, prepare: 1n },
  recordedAt: '2026-01-01T00:00:00Z',
});

describe('upcasterChain', () => {
  const chain = upcasterChain([
    { fromType: 'x.Thing.v1', toType: 'x.Thing.v2', upcast: (d) => ({ ...(d as object), v2: true }) },
    { fromType: 'x.Thing.v2', toType: 'x.Thing.v3', upcast: (d) => ({ ...(d as object), v3: true }) },
  ]);

  it('follows the chain to the newest version', () => {
    expect(chain(recorded('x.Thing.v1', { a: 1 }))).toMatchObject({ type: 'x.Thing.v3', data: { a: 1, v2: true, v3: true } });
    expect(chain(recorded('x.Thing.v2', {}))).toMatchObject({ type: 'x.Thing.v3', data: { v3: true } });
  });

  it('leaves other events untouched, and never mutates the stored one', () => {
    const other = recorded('x.Other.v1', { a: 1 });
    expect(chain(other)).toBe(other);
    const v1 = recorded('x.Thing.v1', { a: 1 });
    chain(v1);
    expect(v1).toMatchObject({ type: 'x.Thing.v1', data: { a: 1 } });
  });

  it('refuses two upcasters for one type and detects cycles', () => {
    expect(() =>
      upcasterChain([
        { fromType: 'a.B.v1', toType: 'a.B.v2', upcast: (d) => d },
        { fromType: 'a.B.v1', toType: 'a.B.v3', upcast: (d) => d },
      ]),
    ).toThrow(/two upcasters/);
    const cyclic = upcasterChain([
      { fromType: 'a.B.v1', toType: 'a.B.v2', upcast: (d) => d },
      { fromType: 'a.B.v2', toType: 'a.B.v1', upcast: (d) => d },
    ]);
    expect(() => cyclic(recorded('a.B.v1', {}))).toThrow(/cycle/);
  });
});
