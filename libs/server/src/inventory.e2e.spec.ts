// A collector pushes inventory over GraphQL with an API key; the SOC reads resources, filters
// them, and follows one resource's change history.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectAzureChanges, collectAzureConnection } from '@rampart/ingestion';
import { rewritingHttpClient, startReplayServer, staticTokenCredential } from '@rampart/inventory-azure/testing';
import { tenantStanding } from '@rampart/tenancy-application';
import { startHarness, type Harness } from './testing/harness';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const example = (file: string) => JSON.parse(readFileSync(join(examples, file), 'utf8')) as Record<string, unknown> & { properties: Record<string, unknown> };

describe('inventory over GraphQL', () => {
  let h: Harness;
  let collectorKey: string;
  let analyst: string;
  beforeAll(async () => {
    h = await startHarness();
    const admin = await h.token({ role: 'customer.admin', tenantId: 'contoso-bank' });
    const issued = await h.gql<{ issueApiKey: { secret: string } }>(
      `mutation { issueApiKey(input: { tenantId: "contoso-bank", name: "collector", roles: ["customer.admin"], expiresAt: "${new Date(Date.now() + 86_400_000).toISOString()}" }) { ... on ApiKeyIssued { secret } } }`,
      { token: admin },
    );
    collectorKey = issued.body.data!.issueApiKey.secret;
    analyst = await h.token({ role: 'soc.analyst', socTeam: 'blue' }, 'ana@soc.example');
    await h.settled();
  });
  afterAll(async () => h?.stop());

  const push = (resources: unknown[], extra = '') =>
    h.gql<{ pushResources: Record<string, number | string> }>(
      `mutation($json: String!) { pushResources(input: { tenantId: "contoso-bank", resourcesJson: $json${extra} }) { runId seen discovered changed unchanged removed rejected rejections { id reason } } }`,
      { apiKey: collectorKey, variables: { json: JSON.stringify(resources) } },
    );

  it('records pushed resources, then nothing for the same push, then the change', async () => {
    const storage = example('Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json');
    const web = example('Microsoft.Web.sites.GetWebApp.json');
    const first = await push([storage, web, { name: 'broken' }]);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.pushResources).toMatchObject({ seen: 3, discovered: 2, rejected: 1 });
    expect((await push([storage, web])).body.data?.pushResources).toMatchObject({ discovered: 0, unchanged: 2 });
    const hardened = { ...storage, properties: { ...storage.properties, allowBlobPublicAccess: false } };
    expect((await push([hardened, web])).body.data?.pushResources).toMatchObject({ changed: 1, unchanged: 1 });
    await h.settled();

    const list = await h.gql<{ resources: { edges: { node: { id: string; type: string; changes: number } }[] } }>(
      '{ resources(tenantId: "contoso-bank", filter: { type: "Microsoft.Storage/storageAccounts" }) { edges { node { id type changes } } } }',
      { token: analyst },
    );
    expect(list.body.data?.resources.edges.map((e) => e.node)).toEqual([{ id: storage['id'], type: 'microsoft.storage/storageaccounts', changes: 1 }]);

    const one = await h.gql<{ resource: { history: { kind: string; detail: string; actorKind: string }[] } }>(
      `query($id: ID!) { resource(tenantId: "contoso-bank", id: $id) { history { kind detail actorKind actorId } } }`,
      { token: analyst, variables: { id: String(storage['id']).toUpperCase() } },
    );
    const history = one.body.data!.resource.history;
    expect(history.map((c) => c.kind)).toEqual(['discovered', 'changed']);
    expect(JSON.parse(history[1].detail)).toContainEqual(expect.objectContaining({ path: '/properties/allowBlobPublicAccess', value: false }));
    expect(history[1].actorKind).toBe('api-key');

    const runs = await h.gql<{ ingestionRuns: { source: string; status: string; discovered: number; changed: number; rejected: number }[] }>(
      '{ ingestionRuns(tenantId: "contoso-bank") { source status discovered changed unchanged rejected } }',
      { token: analyst },
    );
    expect(runs.body.data?.ingestionRuns.slice(0, 3)).toEqual([
      { source: 'push', status: 'completed', discovered: 0, changed: 1, unchanged: 1, rejected: 0 },
      { source: 'push', status: 'completed', discovered: 0, changed: 0, unchanged: 2, rejected: 0 },
      { source: 'push', status: 'completed', discovered: 2, changed: 0, unchanged: 0, rejected: 1 },
    ]);
  });

  it('refuses a push over the batch limit, or that is not a JSON array, and records nothing', async () => {
    const before = await h.server.stores.eventStore.headPosition();
    const tooMany = await push(Array.from({ length: 501 }, () => ({})));
    expect(tooMany.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/at most 500/) });
    const notArray = await h.gql('mutation { pushResources(input: { tenantId: "contoso-bank", resourcesJson: "{}" }) { runId } }', { apiKey: collectorKey });
    expect(notArray.body.errors?.[0].message).toMatch(/JSON array/);
    expect(await h.server.stores.eventStore.headPosition()).toEqual(before);
  });

  it("refuses an offboarded tenant's push with the rule's code, and records nothing", async () => {
    const platform = await h.token({ role: 'platform.admin' });
    const ok = async (document: string, token: string) => {
      const { body } = await h.gql<Record<string, { __typename: string; secret?: string }>>(document, { token });
      expect(body.errors).toBeUndefined();
      return Object.values(body.data!)[0];
    };
    await ok('mutation { onboardTenant(input: { tenantId: "northwind-push", displayName: "Northwind", sector: "manufacturing", contactEmail: "it@northwind.example" }) { __typename } }', platform);
    await h.settled();
    const customer = await h.token({ role: 'customer.admin', tenantId: 'northwind-push' });
    const issued = await ok(
      `mutation { issueApiKey(input: { tenantId: "northwind-push", name: "collector", roles: ["customer.admin"], expiresAt: "${new Date(Date.now() + 86_400_000).toISOString()}" }) { __typename ... on ApiKeyIssued { secret } } }`,
      customer,
    );
    await ok('mutation { offboardTenant(input: { tenantId: "northwind-push", reason: "contract ended" }) { __typename } }', platform);
    await h.settled();

    const before = await h.server.stores.eventStore.headPosition();
    const refused = await h.gql('mutation($json: String!) { pushResources(input: { tenantId: "northwind-push", resourcesJson: $json }) { runId } }', {
      apiKey: issued.secret!,
      variables: { json: JSON.stringify([example('Microsoft.Web.sites.GetWebApp.json')]) },
    });
    expect(refused.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', reason: 'tenant-offboarded' },
      message: expect.stringMatching(/tenant "northwind-push" was offboarded: its record is closed; its inventory is not collected/),
    });
    expect(await h.server.stores.eventStore.headPosition()).toEqual(before);
  });

  it('filters by tag and resource group', async () => {
    const tagged: Record<string, unknown> = { ...example('Microsoft.KeyVault.vaults.getVault.json'), tags: { env: 'prod' } };
    await push([tagged]);
    await h.settled();
    const byTag = await h.gql<{ resources: { edges: { node: { name: string } }[] } }>(
      '{ resources(tenantId: "contoso-bank", filter: { tag: { name: "env", value: "prod" } }) { edges { node { name tags { name value } } } } }',
      { token: analyst },
    );
    expect(byTag.body.data?.resources.edges.map((e) => e.node.name)).toEqual([tagged['name']]);
  });

  it("shows who changed a resource, as Azure's change records say, in its history", async () => {
    const SUB = '55555555-eeee-4000-8000-000000000005';
    const replay = await startReplayServer({ subscriptions: [SUB] });
    try {
      const source = { credential: staticTokenCredential(), endpoint: 'https://resourcegraph.test', httpClient: rewritingHttpClient(replay.url), sleep: async () => undefined };
      const options = { standing: tenantStanding(h.server.stores.eventStore) };
      const connection = { connectionId: 'azure-prod', subscriptions: [SUB] };
      const schedule = { snapshotIntervalMs: 86_400_000, changesIntervalMs: 600_000, passIntervalMs: 600_000 };
      expect((await collectAzureConnection(h.server.stores.eventStore, 'contoso-bank', connection, source, { ...options, schedule })).mode).toBe('first');
      const vault = replay.tables['resources'].find((r) => r['type'] === 'microsoft.keyvault/vaults')!;
      replay.applyChange({
        changeType: 'Update',
        resource: { ...vault, properties: { ...(vault['properties'] as object), enablePurgeProtection: true } },
        at: new Date(Date.now() + 60_000).toISOString(),
        changedBy: 'ana@contoso.example',
        changedByType: 'User',
        clientType: 'Azure Portal',
        operation: 'microsoft.keyvault/vaults/write',
        correlationId: '04ff69b3-e162-4583-9cd7-1a14a1ec2c61',
      });
      const feed = await collectAzureChanges(h.server.stores.eventStore, 'contoso-bank', connection, source, options);
      expect(feed.runs.map((r) => r.result.counts.changed)).toEqual([1]);
      await h.settled();

      type Change = { kind: string; changedBy: string | null; clientType: string | null; operation: string | null; changedAt: string | null; changeCorrelationId: string | null; recordedAt: string; reportedChanges: { changeType: string; changedBy: string | null }[] };
      const one = await h.gql<{ resource: { history: Change[] } }>(
        `query($id: ID!) { resource(tenantId: "contoso-bank", id: $id) { history { kind recordedAt changedBy clientType operation changedAt changeCorrelationId reportedChanges { changeType changedBy } } } }`,
        { token: analyst, variables: { id: String(vault['id']) } },
      );
      expect(one.body.errors).toBeUndefined();
      const [discovered, changed] = one.body.data!.resource.history;
      // the snapshot saw it first: nobody to name
      expect(discovered).toMatchObject({ kind: 'discovered', changedBy: null, clientType: null, reportedChanges: [] });
      expect(changed).toMatchObject({
        kind: 'changed',
        changedBy: 'ana@contoso.example',
        clientType: 'Azure Portal',
        operation: 'microsoft.keyvault/vaults/write',
        changeCorrelationId: '04ff69b3-e162-4583-9cd7-1a14a1ec2c61',
        reportedChanges: [{ changeType: 'Update', changedBy: 'ana@contoso.example' }],
      });
      expect(changed.changedAt).not.toBe(changed.recordedAt);
    } finally {
      await replay.close();
    }
  });
});
