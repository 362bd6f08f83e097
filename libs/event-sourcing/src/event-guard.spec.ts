import type { DomainEvent, RecordedEvent } from './envelope';
import { eventGuard } from './event-guard';

type Opened = DomainEvent<'demo.Opened.v1', { id: string }>;
type Closed = DomainEvent<'demo.Closed.v1', { id: string; reason: string }>;

const recorded = (type: string, data: unknown): RecordedEvent =>
  ({ type, data, eventId: 'e', streamId: 's', revision: 0, globalPosition: { commit: 1n, prepare: 1n }, recordedAt: '', metadata: {} }) as unknown as RecordedEvent;

describe('eventGuard', () => {
  const isOpened = eventGuard<Opened>('demo.Opened.v1');
  const isDemo = eventGuard<Opened | Closed>('demo.Opened.v1', 'demo.Closed.v1');

  it('narrows by type name and keeps the envelope', () => {
    const e = recorded('demo.Opened.v1', { id: '1' });
    expect(isOpened(e)).toBe(true);
    if (isOpened(e)) {
      const id: string = e.data.id;
      expect([id, e.streamId]).toEqual(['1', 's']);
    }
  });

  it('answers no for other type names, other versions included', () => {
    expect(isOpened(recorded('demo.Closed.v1', { id: '1', reason: 'x' }))).toBe(false);
    expect(isOpened(recorded('demo.Opened.v2', { id: '1' }))).toBe(false);
    expect(isDemo(recorded('other.Opened.v1', {}))).toBe(false);
  });

  it('guards a union: each of its type names, then a switch narrows further', () => {
    const e = recorded('demo.Closed.v1', { id: '1', reason: 'done' });
    expect(isDemo(e)).toBe(true);
    if (isDemo(e) && e.type === 'demo.Closed.v1') expect(e.data.reason).toBe('done');
  });
});
