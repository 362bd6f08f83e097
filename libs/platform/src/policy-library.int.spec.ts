// The policy library against real stores: importing the Azure Landing Zones library folder, again
// (nothing new), a changed definition (a second version beside the first), a refused plan (nothing
// recorded), two imports at once on PostgreSQL (one version each, not two), and the provider's trail
// exported and verified like a tenant's.
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicKeyPem } from '@rampart/audit';
import { exportAuditTrail } from '@rampart/audit-application';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { PROVIDER_SCOPE, providerStreamPrefix, START, type CommandContext, type EventStore } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { libraryStreamId } from '@rampart/guardrails';
import { applyPolicyImport, loadLibrary, planPolicyImport, PolicyImportError, readPolicyFolder } from '@rampart/guardrails-application';
import { auditExportPorts } from './audit-catalog';

const ALZ = join(__dirname, '..', '..', 'guardrails', 'corpus', 'azure-policy', 'alz');
const context = (): Omit<CommandContext, 'tenantId'> => ({ actor: { kind: 'user', id: 'platform-admin@soc.example' }, correlationId: 'import-1', now: new Date() });

/** The ALZ library without the initiative that needs a definition the corpus lacks. */
const alzFolder = (work: string): string => {
  const dir = join(work, `alz-${Math.random().toString(36).slice(2)}`);
  cpSync(join(ALZ, 'policyDefinitions'), join(dir, 'policyDefinitions'), { recursive: true });
  cpSync(join(ALZ, 'policySetDefinitions', 'Enforce-Guardrails-KeyVault_20260203.json'), join(dir, 'policySetDefinitions', 'Enforce-Guardrails-KeyVault_20260203.json'));
  return dir;
};

const libraryEventCount = async (store: EventStore): Promise<number> =>
  (await store.readAll({ from: START, filter: { streamPrefixes: [`${providerStreamPrefix()}library-`] }, maxCount: 10_000 })).events.length;

describe('the policy library (PGlite)', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let work: string;
  beforeAll(async () => {
    db = await pgliteTestDatabase('policy_library');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    work = mkdtempSync(join(tmpdir(), 'rampart-library-'));
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('imports the ALZ definitions and an initiative, once, into the provider scope', async () => {
    const folder = alzFolder(work);
    const first = await applyPolicyImport(store, await readPolicyFolder(folder), context());
    expect(first.recorded).toBe(12);
    const library = await loadLibrary(store);
    expect([...library.values()].filter((e) => e.kind === 'definition' && e.version === 1)).toHaveLength(11);
    expect(library.get('initiative:enforce-guardrails-keyvault_20260203')).toMatchObject({ version: 1, retired: false });

    const events = await store.readStream(libraryStreamId('definition', 'Deny-Sql-minTLS'));
    expect(events).toHaveLength(1);
    expect(events[0].metadata).toMatchObject({ tenantId: PROVIDER_SCOPE, actor: { kind: 'user', id: 'platform-admin@soc.example' } });
    expect(events[0].data).toMatchObject({ name: 'Deny-Sql-minTLS', version: 1, source: 'policyDefinitions/Deny-Sql-minTLS.json', mode: 'Indexed' });

    // again: nothing new
    expect((await applyPolicyImport(store, await readPolicyFolder(folder), context())).recorded).toBe(0);
    expect(await libraryEventCount(store)).toBe(12);
  });

  it('records a changed definition as version 2 and keeps version 1 readable', async () => {
    const folder = alzFolder(work);
    const file = join(folder, 'policyDefinitions', 'Deny-Sql-minTLS.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"defaultValue": "Audit"', '"defaultValue": "Deny"'));
    const plan = await planPolicyImport(store, await readPolicyFolder(folder));
    expect(plan.counts).toMatchObject({ add: 0, change: 1, unchanged: 11 });
    expect((await applyPolicyImport(store, await readPolicyFolder(folder), context())).recorded).toBe(1);

    const versions = await store.readStream(libraryStreamId('definition', 'deny-sql-mintls'));
    expect(versions.map((e) => (e.data as { version: number }).version)).toEqual([1, 2]);
    const effectDefault = (v: number) =>
      (versions[v - 1].data as { definition: { properties: { parameters: { effect: { defaultValue: string } } } } }).definition.properties.parameters.effect.defaultValue;
    expect([effectDefault(1), effectDefault(2)]).toEqual(['Audit', 'Deny']);
  });

  it('records nothing when the plan refuses something, and says why', async () => {
    const before = await libraryEventCount(store);
    const folder = alzFolder(work);
    cpSync(join(ALZ, 'policySetDefinitions', 'Deny-PublicPaaSEndpoints.json'), join(folder, 'policySetDefinitions', 'Deny-PublicPaaSEndpoints.json'));
    writeFileSync(join(folder, 'policyDefinitions', 'New-One.json'), JSON.stringify({ properties: { mode: 'All', policyRule: { if: { field: 'type', equals: 'x' }, then: { effect: 'audit' } } } }));
    await expect(applyPolicyImport(store, await readPolicyFolder(folder), context())).rejects.toThrow(PolicyImportError);
    await expect(applyPolicyImport(store, await readPolicyFolder(folder), context())).rejects.toThrow(/the plan refuses 1 item: nothing was applied/);
    expect(await libraryEventCount(store)).toBe(before);
  });

  it("exports the provider's trail, every library change in it, and it verifies", async () => {
    const keys = generateKeyPairSync('ed25519');
    const outDir = join(work, 'provider-export');
    const result = await exportAuditTrail(
      { eventStore: store },
      {
        ...auditExportPorts({ eventStore: store }),
        tenantId: PROVIDER_SCOPE,
        from: new Date(Date.now() - 3_600_000),
        to: new Date(Date.now() - 1),
        outDir,
        signingKey: keys.privateKey,
        actor: { kind: 'user', id: 'platform-admin@soc.example' },
        settleMs: 0,
      },
    );
    expect(result.manifest).toMatchObject({ tenantId: PROVIDER_SCOPE, eventCount: 13 });
    const csv = readFileSync(join(outDir, 'events.csv'), 'utf8');
    expect(csv).toContain('policy definition Deny-Sql-minTLS version 2 published from policyDefinitions/Deny-Sql-minTLS.json');
    expect(csv).toContain('initiative Enforce-Guardrails-KeyVault_20260203 version 1 published from policySetDefinitions/Enforce-Guardrails-KeyVault_20260203.json: 29 members');
    expect((await verifyAuditExportDir(outDir, publicKeyPem(keys.publicKey))).problems).toEqual([]);
  });
});

describe('the policy library (PostgreSQL): two imports of the same folder at once', () => {
  let db: TestDatabase;
  let stores: SqlEventStore[];
  let work: string;
  beforeAll(async () => {
    db = await postgresTestDatabase('policy_library');
    // two stores on one database, as two processes would be
    stores = [await SqlEventStore.open(db.sql, { schema: db.schema }), await SqlEventStore.open(db.sql, { schema: db.schema })];
    work = mkdtempSync(join(tmpdir(), 'rampart-library-pg-'));
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await db.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('records each definition once, whichever import wins', async () => {
    const files = await readPolicyFolder(alzFolder(work));
    const results = await Promise.all(stores.map((s) => applyPolicyImport(s, files, context())));
    expect(results.map((r) => r.recorded).reduce((a, b) => a + b, 0)).toBe(12);
    expect(await libraryEventCount(stores[0])).toBe(12);
    for (const entry of (await loadLibrary(stores[0])).values()) expect(entry.version).toBe(1);
  });
});
