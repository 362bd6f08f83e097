import type { NewEvent } from './envelope';
import { InvalidEventError } from './event-store';
import { sameJson, validateAppend } from './validation';

describe('sameJson', () => {
  it('compares JSON values deeply, ignoring key order as jsonb does', () => {
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: null }, { a: undefined })).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });
});

describe('metadata.traceparent', () => {
  const event = (traceparent?: unknown) => ({
    eventId: '00000000-0000-4000-8000-000000000001',
    type: 'tenancy.TenantOnboarded.v1',
    data: {},
    metadata: { tenantId: 'acme', actor: { kind: 'user' as const, id: 'ana' }, correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00Z', schemaVersion: 1, ...(traceparent === undefined ? {} : { traceparent }) },
  });
  const append = (traceparent?: unknown) => () => validateAppend('t-acme:tenant-acme', [event(traceparent) as NewEvent]);

  it('is optional, and taken as a W3C trace context of version 00', () => {
    expect(append()).not.toThrow();
    expect(append('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).not.toThrow();
    expect(append('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')).not.toThrow();
  });

  it('refuses anything else: other versions, zero or uppercase ids, extra text, another type', () => {
    for (const bad of [
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      ` 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`,
      'x'.repeat(10_000),
      '',
      42,
      null,
    ]) {
      expect(append(bad)).toThrow(InvalidEventError);
    }
  });
});
