import type { EventStore } from '@rampart/event-sourcing';
import { AUDIT_LINK_TTL_MS, AuditExports, type AuditExportJob } from './audit-jobs';
import { createLogger } from '@rampart/runtime';

describe('audit export download links', () => {
  let now = new Date('2026-11-29T10:00:00Z');
  const exports = new AuditExports({ eventStore: {} as EventStore }, { dataDir: '/data', production: false }, createLogger('silent'), { now: () => now, catalog: { guardrail: () => undefined, baseline: () => undefined }, standing: async () => undefined });
  const job: AuditExportJob = {
    exportId: '6f1c1f0e-8d5b-4c1e-9a57-1b9f3f6d2c11',
    tenantId: 'contoso-bank',
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-11-29T00:00:00.000Z',
    requestedBy: 'auditor@kpmg.example',
    requestedAt: now.toISOString(),
    status: 'succeeded',
    eventsWritten: 10,
  };
  const parse = (url: string) => {
    const u = new URL(url, 'http://api');
    const [, , tenant, exportId, file] = u.pathname.split('/');
    return [tenant, exportId, file, u.searchParams.get('expires') ?? '', u.searchParams.get('signature') ?? ''] as const;
  };

  it('open exactly the file they name, until they expire', () => {
    const links = exports.links(job);
    expect(links.map((l) => l.file)).toEqual(['events.ndjson', 'events.csv', 'oscal-assessment-results.json', 'ocsf.ndjson', 'manifest.json', 'manifest.json.sig']);
    const [tenant, exportId, file, expires, signature] = parse(links[0].url);
    expect(exports.resolveLink(tenant, exportId, file, expires, signature)).toEqual({ ok: true, path: expect.stringMatching(/exports\/contoso-bank\/6f1c1f0e-8d5b-4c1e-9a57-1b9f3f6d2c11\/events\.ndjson$/) });
    expect(exports.resolveLink(tenant, exportId, 'events.csv', expires, signature)).toMatchObject({ ok: false, status: 403 });
    expect(exports.resolveLink('fabrikam-retail', exportId, file, expires, signature)).toMatchObject({ ok: false, status: 403 });
    expect(exports.resolveLink(tenant, exportId, file, String(Number(expires) + 1), signature)).toMatchObject({ ok: false, status: 403 });
    expect(exports.resolveLink(tenant, exportId, file, expires, '')).toMatchObject({ ok: false, status: 403 });
    expect(exports.resolveLink(tenant, exportId, '../../audit/signing-key.pem', expires, signature)).toMatchObject({ ok: false, status: 404 });
    now = new Date(now.getTime() + AUDIT_LINK_TTL_MS + 1);
    expect(exports.resolveLink(tenant, exportId, file, expires, signature)).toMatchObject({ ok: false, status: 410, reason: expect.stringMatching(/expired/) });
  });

  it('are given only for a finished export', () => {
    expect(exports.links({ ...job, status: 'running' })).toEqual([]);
    expect(exports.links({ ...job, status: 'failed' })).toEqual([]);
  });
});
