// Event builders for the contract suite: unique tenants and streams per test, so suites can
// share one store (and one EventStoreDB server) without seeing each other's events.
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@rampart/event-sourcing';

export const uniqueTenant = (label = 'tenant'): string => `${label}-${randomUUID().slice(0, 8)}`;

export const testEvent = (
  tenantId: string,
  type = 'test.SomethingHappened.v1',
  data: unknown = { n: 1 },
  overrides: Partial<NewEvent> = {},
): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: {
    tenantId,
    actor: { kind: 'user', id: 'ana@soc.example', onBehalfOfTenant: tenantId },
    correlationId: randomUUID(),
    causationId: null,
    occurredAt: '2026-11-29T10:00:00.000Z',
    schemaVersion: 1,
  },
  ...overrides,
});

export const numbered = (tenantId: string, count: number, type?: string): NewEvent[] =>
  Array.from({ length: count }, (_, i) => testEvent(tenantId, type, { n: i }));
