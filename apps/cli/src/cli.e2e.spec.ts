// The `rampart` command as a user runs it: a separate process, real arguments, exit codes,
// stdout/stderr. Covers `npm start`'s standalone mode end to end; the later tests work on the store
// the demo seeded.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleCommand } from '@rampart/event-sourcing';
import { openStores } from '@rampart/runtime';
import { tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { type Answer, devToken, killLeftovers, query, rampart, root, startStandalone } from './testing/cli';

describe('rampart CLI', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-cli-'));
  });
  afterEach(killLeftovers);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs standalone on PGlite, answers GraphQL, and stops cleanly on SIGTERM', async () => {
    const server = await startStandalone({ RAMPART_DATA_DIR: dataDir });
    try {
      // the CLI mints tokens while the server runs: it reads only the issuer key, not the store
      const token = devToken({ RAMPART_DATA_DIR: dataDir }, '--role', 'soc.analyst', '--team', 'blue');
      const anonymous = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { id } }"}' });
      expect(anonymous.status).toBe(401);
      let body: Answer = {};
      for (let i = 0; i < 100 && (body.data?.['tenants']?.edges?.length ?? 0) < 2; i++) {
        body = await query(server.url, '{ tenants { edges { node { tenantId } } } }', token);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(body.data?.['tenants']?.edges).toEqual([{ node: { tenantId: 'contoso-bank' } }, { node: { tenantId: 'fabrikam-retail' } }]);
      // the demo's weeks: a queue to work, and the story's incident closed
      const queue = await query(server.url, '{ incidents(first: 100) { edges { node { tenantId status title } } } }', token);
      const incidents = (queue.data?.['incidents']?.edges ?? []) as { node: { tenantId: string; status: string; title: string } }[];
      expect(incidents.filter((e) => e.node.status !== 'closed').length).toBeGreaterThan(0);
      // the story's incident names its resource, so it is found by it
      const story = await query(server.url, '{ incidents(first: 100, filter: { tenantId: "contoso-bank", status: "closed" }) { edges { node { title } } } }', token);
      const titles = ((story.data?.['incidents']?.edges ?? []) as { node: { title: string } }[]).map((e) => e.node.title);
      expect(titles.filter((t) => t.includes('payments-api'))).toEqual(['Web app reachable without authentication on payments-api']);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);

  it('reads the log, onboards a tenant, refuses a duplicate, and reports projections', () => {
    const env = { RAMPART_DATA_DIR: dataDir };
    const onboard = rampart(['tenants', 'onboard', 'woodgrove', '--name', 'Woodgrove', '--sector', 'finance', '--contact', 'soc@woodgrove.example'], env);
    expect(onboard.stderr).toBe('');
    expect(onboard.status).toBe(0);
    const again = rampart(['tenants', 'onboard', 'woodgrove', '--name', 'Woodgrove', '--sector', 'finance', '--contact', 'soc@woodgrove.example'], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/tenant-already-onboarded/);

    const events = rampart(['events', '--tenant', 'woodgrove'], env);
    expect(events.status).toBe(0);
    const lines = events.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      type: 'tenancy.TenantOnboarded.v1',
      streamId: 't-woodgrove:tenant-woodgrove',
      revision: 0,
      metadata: { tenantId: 'woodgrove', actor: { kind: 'user' } },
    });
    expect(lines[0].globalPosition).toMatch(/^\d+\/\d+$/);

    const status = rampart(['projections', 'status', '--json'], env);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({ name: 'tenant-directory', eventsBehind: 1 }),
      expect.objectContaining({ name: 'api-key-directory', eventsBehind: 0 }),
      expect.objectContaining({ name: 'tenant-groups', eventsBehind: 0 }),
      expect.objectContaining({ name: 'resource-inventory', eventsBehind: 0 }),
      expect.objectContaining({ name: 'ingestion-runs', eventsBehind: 0 }),
      expect.objectContaining({ name: 'tenant-guardrails', eventsBehind: 0 }),
      expect.objectContaining({ name: 'compliance', eventsBehind: 0 }),
      expect.objectContaining({ name: 'findings', eventsBehind: 0 }),
      expect.objectContaining({ name: 'attestations', eventsBehind: 0 }),
      expect.objectContaining({ name: 'incidents', eventsBehind: 0 }),
      expect.objectContaining({ name: 'response-actions', eventsBehind: 0 }),
    ]);

    const rebuild = rampart(['projections', 'rebuild', 'tenant-directory'], env);
    expect(rebuild.status).toBe(0);
    expect(rebuild.stderr).toMatch(/tenant-directory: rebuilt from 7 events/); // 3 demo tenants onboarded and assigned, 1 more

    const list = rampart(['tenants', 'list'], env);
    expect(list.stdout).toMatch(/^tenant\s+name\s+sector\s+status\s+SOC teams\s+connections/);
    expect(list.stdout).toMatch(/contoso-bank\s+Contoso Bank\s+finance\s+active\s+blue\s+-/);
    expect(list.stdout).toMatch(/woodgrove\s+Woodgrove/);

    const unknown = rampart(['projections', 'rebuild', 'nope'], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/unknown projection nope; known: tenant-directory, api-key-directory, tenant-groups, resource-inventory, ingestion-runs, tenant-guardrails, compliance, findings, attestations, incidents, response-actions/);
  });

  it('ingests a file for a tenant with a summary, and re-ingesting it changes nothing', () => {
    const env = { RAMPART_DATA_DIR: dataDir };
    const examples = join(root, 'libs', 'inventory', 'src', 'testing', 'arm-examples');
    const file = join(dataDir, 'inventory.ndjson');
    const bodies = ['Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json', 'Microsoft.Web.sites.GetWebApp.json'].map((f) =>
      readFileSync(join(examples, f), 'utf8'),
    );
    writeFileSync(file, `${bodies.map((b) => JSON.stringify(JSON.parse(b))).join('\n')}\n{"name":"no id"}\n`);
    expect(rampart(['tenants', 'onboard', 'ingest-co', '--name', 'Ingest Co', '--sector', 'retail', '--contact', 'it@ingest.example'], env).status).toBe(0);
    const first = rampart(['ingest', '--tenant', 'ingest-co', '--file', file], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/discovered\s+2\n/);
    expect(first.stdout).toMatch(/rejected\s+1\n/);
    expect(first.stdout).toMatch(/rejected: \(no id\): missing or invalid "id"/);
    const again = rampart(['ingest', '--tenant', 'ingest-co', '--file', file], env);
    expect(again.stdout).toMatch(/unchanged\s+2\n/);
    const unknown = rampart(['ingest', '--tenant', 'nobody', '--file', file], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/not ingested \(tenant-not-found\): no tenant "nobody" was onboarded/);

    // Guardrails: assign a baseline, evaluate. The example web app has neither authentication (high)
    // nor HTTPS only (medium); the example storage account allows HTTP and has no minimum TLS version
    // (medium each) and does not forbid anonymous blob access (high).
    expect(rampart(['baselines', 'assign', '--tenant', 'ingest-co', '--baseline', 'nist-everything'], env).stderr).toMatch(/not assigned: unknown-baseline/);
    expect(rampart(['baselines', 'assign', '--tenant', 'ingest-co', '--baseline', 'landing-zone-core'], env).status).toBe(0);
    const evaluated = rampart(['evaluate', '--tenant', 'ingest-co', '--json'], env);
    expect(evaluated.status).toBe(0);
    const summary = JSON.parse(evaluated.stdout);
    expect(summary).toMatchObject({ resources: 2, openFindings: { critical: 0, high: 2, medium: 3, low: 0 } });
    expect(summary.score.overall).toMatchObject({ nonCompliant: 5, error: 0 });
    const table = rampart(['evaluate', '--tenant', 'ingest-co'], env);
    expect(table.stdout).toMatch(/resources\s+evaluations\s+posture events/);
    expect(table.stdout).toMatch(/landing-zone-core/);
  });

  it('refuses to ingest or assign a baseline for an offboarded tenant, saying why, and records nothing', async () => {
    const env = { RAMPART_DATA_DIR: dataDir };
    const file = join(dataDir, 'inventory.ndjson');
    expect(rampart(['tenants', 'onboard', 'gone-co', '--name', 'Gone Co', '--sector', 'retail', '--contact', 'it@gone.example'], env).status).toBe(0);
    // No CLI command offboards (the API does): the tenant's stream is written as the API would,
    // between two CLI runs (PGlite's data folder holds one process at a time).
    const stores = await openStores({ kind: 'pglite', dataDir });
    try {
      const ctx = { tenantId: 'gone-co', actor: { kind: 'user' as const, id: 'ops@mssp.example' }, correlationId: 'c', causationId: null, now: new Date() };
      expect((await handleCommand(stores.eventStore, tenantDecider, tenantStreamId('gone-co'), { kind: 'OffboardTenant', tenantId: 'gone-co', reason: 'contract ended' }, ctx)).ok).toBe(true);
    } finally {
      await stores.close();
    }
    const refused = rampart(['ingest', '--tenant', 'gone-co', '--file', file], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not ingested \(tenant-offboarded\): tenant "gone-co" was offboarded: its record is closed; its inventory is not collected/);
    const assigned = rampart(['baselines', 'assign', '--tenant', 'gone-co', '--baseline', 'landing-zone-core'], env);
    expect(assigned.status).toBe(1);
    expect(assigned.stderr).toMatch(/not assigned: tenant-offboarded/);
    const events = rampart(['events', '--tenant', 'gone-co'], env);
    expect(events.stdout.trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['tenancy.TenantOnboarded.v1', 'tenancy.TenantOffboarded.v1']);
  });

  it('shows the tenant as of an instant, and replays a guardrail over what was recorded', async () => {
    const env = { RAMPART_DATA_DIR: dataDir };
    const examples = join(root, 'libs', 'inventory', 'src', 'testing', 'arm-examples');
    const web = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
    const beforeFix = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    const fixed = join(dataDir, 'fixed.ndjson');
    writeFileSync(fixed, `${JSON.stringify(web)}\n${JSON.stringify({ id: `${web.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: true } })}\n`);
    expect(rampart(['ingest', '--tenant', 'ingest-co', '--file', fixed], env).status).toBe(0);
    expect(rampart(['evaluate', '--tenant', 'ingest-co'], env).status).toBe(0);

    const then = rampart(['posture', '--tenant', 'ingest-co', '--as-of', beforeFix, '--json'], env);
    expect(then.status).toBe(0);
    const before = JSON.parse(then.stdout);
    expect(before.resources).toHaveLength(2);
    expect(before.openFindings.map((f: { guardrailId: string }) => f.guardrailId)).toContain('web-app-without-authentication');
    const now = JSON.parse(rampart(['posture', '--tenant', 'ingest-co', '--as-of', new Date(Date.now() + 1_000).toISOString(), '--json'], env).stdout);
    expect(now.resources).toHaveLength(3);
    expect(now.openFindings.map((f: { guardrailId: string }) => f.guardrailId)).not.toContain('web-app-without-authentication');
    expect(rampart(['posture', '--tenant', 'ingest-co', '--as-of', beforeFix], env).stdout).toMatch(/open findings\n.*severity\s+guardrail/);
    expect(rampart(['posture', '--tenant', 'ingest-co', '--as-of', 'yesterday'], env).stderr).toMatch(/expected an ISO-8601 time/);

    const definition = join(root, 'libs', 'guardrails', 'corpus', 'azure-policy', 'built-in', 'App Service', 'Authentication_WebApp_Audit.json');
    const replay = rampart(['policy', 'replay', '--tenant', 'ingest-co', '--policy', definition, '--json'], env);
    expect(replay.status).toBe(1); // the app would have broken it, until the fix
    const intervals = JSON.parse(replay.stdout).intervals;
    expect(intervals).toEqual([expect.objectContaining({ resourceId: web.id, state: 'nonCompliant', to: expect.any(String) })]);
    expect(Date.parse(intervals[0].to)).toBeGreaterThan(Date.parse(beforeFix));
    const sinceFix = rampart(['policy', 'replay', '--tenant', 'ingest-co', '--policy', definition, '--since', new Date(Date.now() + 1_000).toISOString()], env);
    expect(sinceFix.status).toBe(0);
    expect(sinceFix.stdout).toMatch(/no resource would have broken it/);
    const bad = join(dataDir, 'bad-policy.json');
    writeFileSync(bad, JSON.stringify({ policyRule: { if: { field: 'type', equals: '[nope()]' }, then: { effect: 'audit' } } }));
    const refused = rampart(['policy', 'replay', '--tenant', 'ingest-co', '--policy', bad], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/cannot be evaluated.*nope/);
  });
});
