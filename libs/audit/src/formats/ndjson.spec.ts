import { parsePosition, type RecordedEvent } from '@rampart/event-sourcing';
import { ndjsonLine, parseNdjsonLine } from './ndjson';
import { BEN, TenantLog, WEB_APP, breachStory } from './testing/fixtures';

describe('events.ndjson lines', () => {
  const { events } = breachStory();

  it('hold the envelope in a fixed key order, the position as "<commit>/<prepare>", on one line', () => {
    const e = events[3];
    const line = ndjsonLine(e);
    expect(line).not.toMatch(/\n/);
    const parsed = JSON.parse(line);
    expect(Object.keys(parsed)).toEqual(['eventId', 'streamId', 'revision', 'globalPosition', 'recordedAt', 'type', 'data', 'metadata']);
    expect(parsed.globalPosition).toBe(`${e.globalPosition.commit}/${e.globalPosition.prepare}`);
    expect(parsed.metadata).toEqual(e.metadata);
  });

  it('come out the same whatever key order the store returned the metadata in', () => {
    const e = events[6];
    const m = e.metadata;
    const shuffled: RecordedEvent = {
      ...e,
      metadata: { schemaVersion: m.schemaVersion, occurredAt: m.occurredAt, causationId: m.causationId, correlationId: m.correlationId, actor: { id: m.actor.id, kind: m.actor.kind }, tenantId: m.tenantId },
    };
    expect(ndjsonLine(shuffled)).toBe(ndjsonLine(e));
  });

  it('round-trip every event of a realistic log, actor on-behalf-of and positions beyond 2^53 included', () => {
    const log = new TenantLog();
    const big = { ...log.record('guardrails-policy', 'guardrails.ExemptionGranted.v1', { exemptionId: 'exm-1', approvedBy: BEN.id }, { actor: BEN }), globalPosition: { commit: 2n ** 63n - 1n, prepare: 9_007_199_254_740_993n } };
    for (const e of [...events, big]) {
      const back = parseNdjsonLine(ndjsonLine(e));
      expect({ ...back, globalPosition: parsePosition(back.globalPosition) }).toEqual(e);
    }
    expect(parseNdjsonLine(ndjsonLine(big)).globalPosition).toBe('9223372036854775807/9007199254740993');
    expect(parseNdjsonLine(ndjsonLine(big)).metadata.actor.onBehalfOfTenant).toBe('contoso');
  });

  it('round-trip the attestation events, evidence digests included', () => {
    const log = new TenantLog();
    const attestations = [
      log.setAttestationPolicy(true),
      log.recordAttestation('att-ac-1', { approvalRequired: true }),
      log.approveAttestation('att-ac-1'),
      log.revokeAttestation('att-ac-1'),
      log.recordAttestation('att-ac-2', { approvalRequired: true }),
      log.rejectAttestation('att-ac-2'),
      log.recordAttestation('att-ac-3'),
      log.expireAttestation('att-ac-3', '2025-09-30T00:00:00.000Z'),
    ];
    for (const e of attestations) {
      const back = parseNdjsonLine(ndjsonLine(e));
      expect({ ...back, globalPosition: parsePosition(back.globalPosition) }).toEqual(e);
    }
  });

  it('keep line breaks and separators inside strings escaped, so one event stays one line', () => {
    const e = new TenantLog().posture(WEB_APP, 'web-app-without-authentication', null, 'nonCompliant', { reason: 'line one\nline two\r\u2028end' });
    const line = ndjsonLine(e);
    expect(line.split('\n')).toHaveLength(1);
    expect((parseNdjsonLine(line).data as { reason: string }).reason).toBe('line one\nline two\r\u2028end');
  });

  it('accept a line that kept its CR from a CRLF file', () => {
    expect(parseNdjsonLine(`${ndjsonLine(events[0])}\r`).eventId).toBe(events[0].eventId);
  });

  it('say clearly what is wrong with a malformed line, and where', () => {
    expect(() => parseNdjsonLine('{"eventId": "x"', 12)).toThrow(/events\.ndjson line 12 is not JSON/);
    const good = JSON.parse(ndjsonLine(events[0]));
    expect(() => parseNdjsonLine(JSON.stringify({ ...good, globalPosition: '12' }))).toThrow(/globalPosition: expected "<commit>\/<prepare>"/);
    expect(() => parseNdjsonLine(JSON.stringify({ ...good, revision: -1 }), 3)).toThrow(/line 3 is not an event envelope: revision/);
    const { data: _data, ...withoutData } = good;
    expect(() => parseNdjsonLine(JSON.stringify(withoutData))).toThrow(/data: /);
    expect(() => parseNdjsonLine(JSON.stringify({ ...good, metadata: { ...good.metadata, actor: { kind: 'robot', id: 'x' } } }))).toThrow(/metadata\.actor\.kind/);
    expect(() => parseNdjsonLine('[1,2]')).toThrow(/not an event envelope/);
  });
});
