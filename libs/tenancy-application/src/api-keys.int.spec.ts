// API keys live in their own streams, so their use cases ask the tenant's standing: no new key for a
// suspended or offboarded tenant (or one never onboarded), while a key can always be revoked.
import { handleCommand, type CommandContext, type RecordedEvent } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { apiKeyStreamId, tenantDecider, tenantStreamId, type TenancyCommand } from '@rampart/tenancy';
import { issueApiKey, revokeApiKey } from './api-keys';
import { onboardTenants } from './testing';

describe('API key use cases', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  const ctx = (tenantId: string): CommandContext => ({ tenantId, actor: { kind: 'user', id: 'admin@contoso.example' }, correlationId: 'c', now: new Date() });
  const lifecycle = (tenantId: string, command: TenancyCommand) => handleCommand(store, tenantDecider, tenantStreamId(tenantId), command, ctx(tenantId));
  const issue = (tenantId: string) =>
    issueApiKey({ eventStore: store }, ctx(tenantId), {
      name: 'siem',
      roles: ['customer.viewer'],
      expiresAt: new Date(Date.now() + 30 * 86_400_000),
      issuer: { kind: 'user', id: 'admin@contoso.example', grantsInTenant: [{ role: 'customer.admin', tenantId }] },
    });

  beforeAll(async () => {
    db = await pgliteTestDatabase('api_keys');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    await onboardTenants(store, 'contoso', 'fabrikam');
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('issues a key whose secret is in the answer and only its digest in the event', async () => {
    const issued = await issue('contoso');
    if (!issued.ok) throw new Error(issued.rejection.code);
    expect(issued.value.token).toMatch(new RegExp(`^rmp_${issued.value.keyId}_[A-Za-z0-9_-]{43}$`));
    const [event] = (await store.readStream(apiKeyStreamId('contoso', issued.value.keyId))) as RecordedEvent[];
    const secret = issued.value.token.split('_').slice(2).join('_');
    expect(JSON.stringify(event.data)).not.toContain(secret);
  });

  it('refuses a key for a tenant that is suspended, offboarded or unknown, appending nothing, and still revokes keys of a tenant that exists', async () => {
    const issued = await issue('fabrikam');
    if (!issued.ok) throw new Error(issued.rejection.code);
    expect((await lifecycle('fabrikam', { kind: 'SuspendTenant', tenantId: 'fabrikam', reason: 'unpaid' })).ok).toBe(true);
    const head = await store.headPosition();
    expect(await issue('fabrikam')).toMatchObject({ ok: false, rejection: { code: 'tenant-suspended' } });
    expect(await issue('initech')).toMatchObject({ ok: false, rejection: { code: 'tenant-not-found' } });
    expect(await store.headPosition()).toEqual(head);
    expect((await lifecycle('fabrikam', { kind: 'OffboardTenant', tenantId: 'fabrikam', reason: 'contract ended' })).ok).toBe(true);
    expect(await issue('fabrikam')).toMatchObject({ ok: false, rejection: { code: 'tenant-offboarded' } });
    expect(await revokeApiKey({ eventStore: store }, ctx('fabrikam'), { keyId: issued.value.keyId, reason: 'offboarded', by: 'user' })).toMatchObject({ ok: true });
    expect(await revokeApiKey({ eventStore: store }, ctx('initech'), { keyId: issued.value.keyId, reason: 'x', by: 'user' })).toMatchObject({
      ok: false,
      rejection: { code: 'tenant-not-found' },
    });
  });
});
