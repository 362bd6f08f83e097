// Real ids for the fuzzer, recorded through the API by the platform admin in the home tenant
// (contoso-bank, reached by every caller), another tenant of the same SOC team (fabrikam-retail)
// and an outsider tenant (northwind-mfg): resources, a baseline assignment, incidents with a task
// and a proposed action, an API key, an exemption, an audit export, a cloud connection, and
// cursors of every connection.
import type { Harness } from '../../testing/harness';
import type { FuzzContext } from './values';

export const HOME = 'contoso-bank';
export const TEAM = 'fabrikam-retail';
export const OTHER = 'northwind-mfg';

const SUBSCRIPTIONS: Record<string, string> = {
  [HOME]: '00000000-0000-0000-0000-00000000000a',
  [TEAM]: '00000000-0000-0000-0000-00000000000b',
  [OTHER]: '00000000-0000-0000-0000-00000000000c',
};

export const resourcesOf = (tenantId: string): Record<string, unknown>[] => {
  const sub = SUBSCRIPTIONS[tenantId];
  return [
    {
      id: `/subscriptions/${sub}/resourceGroups/rg-fuzz/providers/Microsoft.Web/sites/app-fuzz`,
      name: 'app-fuzz',
      type: 'Microsoft.Web/sites',
      kind: 'app',
      location: 'westeurope',
      tags: { env: 'prod', owner: 'payments' },
      properties: { httpsOnly: false, publicNetworkAccess: 'Enabled', siteConfig: { minTlsVersion: '1.0' } },
    },
    {
      id: `/subscriptions/${sub}/resourceGroups/rg-fuzz/providers/Microsoft.Storage/storageAccounts/stfuzz`,
      name: 'stfuzz',
      type: 'Microsoft.Storage/storageAccounts',
      location: 'westeurope',
      tags: { env: 'prod' },
      properties: { minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true, supportsHttpsTrafficOnly: false },
    },
  ];
};

export const probeAlert = (id: string): Record<string, unknown> => ({
  VendorName: 'Microsoft',
  AlertType: 'VM_EICAR',
  SystemAlertId: id,
  StartTimeUtc: '2026-11-29T10:00:00Z',
  TimeGenerated: '2026-11-29T10:00:00Z',
  Severity: 'Low',
  AlertDisplayName: 'Fuzz probe alert',
  Description: 'schema fuzz fixture',
  ProductName: 'Azure Security Center',
  CompromisedEntity: 'app-fuzz',
  Status: 'Active',
});

type Body = { data?: Record<string, unknown> | null; errors?: { message: string }[] };

/** Records the fixtures; returns the context and what did not work (setup keeps going without it). */
export const recordFixtures = async (h: Harness, admin: string): Promise<{ ctx: FuzzContext; problems: string[] }> => {
  const problems: string[] = [];
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
    const res = await h.gql(query, { token: admin, variables });
    const body = res.body as Body;
    if (body.errors?.length) problems.push(`${query.slice(0, 80)}: ${body.errors.map((e) => e.message).join('; ')}`);
    return (body.data ?? {}) as Record<string, unknown>;
  };
  const ids: Record<string, { home: string[]; other: string[] }> = {};
  const add = (kind: string, tenantId: string, id: unknown) => {
    if (typeof id !== 'string' || !id) return;
    const bucket = (ids[kind] ??= { home: [], other: [] });
    const list = tenantId === HOME ? bucket.home : bucket.other;
    if (!list.includes(id)) list.push(id);
  };
  const incidentsOf: Record<string, string[]> = {};
  const now = new Date();
  const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString();

  const catalog = await gql('{ guardrails { id } baselines { id } }');
  const guardrails = (catalog['guardrails'] as { id: string }[] | undefined) ?? [];
  const baselines = (catalog['baselines'] as { id: string }[] | undefined) ?? [];
  for (const t of [HOME, OTHER]) {
    for (const g of guardrails.slice(0, 3)) add('guardrailId', t, g.id);
    for (const b of baselines.slice(0, 2)) add('baselineId', t, b.id);
  }

  for (const tenantId of [HOME, TEAM, OTHER]) {
    const resources = resourcesOf(tenantId);
    await gql('mutation($input: PushResourcesInput!) { pushResources(input: $input) { discovered } }', { input: { tenantId, resourcesJson: JSON.stringify(resources) } });
    for (const r of resources) add('resourceId', tenantId, r['id']);
    if (baselines[0]) {
      await gql('mutation($input: AssignBaselineInput!) { assignBaseline(input: $input) { __typename ... on Rejection { code } } }', {
        input: { tenantId, assignmentId: 'fuzz-assignment', baselineId: baselines[0].id },
      });
      add('assignmentId', tenantId, 'fuzz-assignment');
    }
    // Incidents in every state a command starts from: new, triaged (advance), resolved (close), and a merge target.
    const incidentIds: string[] = [];
    const open = async (title: string) => {
      const opened = await gql('mutation($input: OpenIncidentInput!) { openIncident(input: $input) { __typename ... on IncidentChanged { id } ... on Rejection { code } } }', {
        input: { tenantId, title, severity: 'medium', resourceIds: [resources[0]['id']], entities: ['ip:203.0.113.7'] },
      });
      const id = (opened['openIncident'] as { id?: string } | undefined)?.id;
      if (id) incidentIds.push(id);
      add('incidentId', tenantId, id);
      return id;
    };
    const step = async (incidentId: string, field: string, input: Record<string, unknown>) => {
      const done = await gql(`mutation($input: ${field[0].toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { __typename ... on Rejection { code message } } }`, { input: { tenantId, incidentId, ...input } });
      const result = done[field] as { __typename?: string; code?: string; message?: string } | undefined;
      if (result?.__typename === 'Rejection') problems.push(`${field} ${JSON.stringify(input)}: ${result.code} ${result.message ?? ''}`);
    };
    await open('Fuzz fixture incident (new)');
    const triaged = await open('Fuzz fixture incident (triaged)');
    if (triaged) await step(triaged, 'triageIncident', { severity: 'high', assignee: 'ana@soc.example' });
    for (const title of ['Fuzz fixture incident (resolved)', 'Fuzz fixture incident (resolved, 2)']) {
      const resolved = await open(title);
      if (!resolved) continue;
      await step(resolved, 'triageIncident', { severity: 'low', assignee: 'ana@soc.example' });
      for (const s of ['START_RESPONSE', 'CONFIRM_CONTAINMENT', 'CONFIRM_REMEDIATION', 'CONFIRM_RECOVERY']) await step(resolved, 'advanceIncident', { step: s, summary: `fixture: ${s}` });
    }
    await open('Fuzz fixture incident (merge target)');
    incidentsOf[tenantId] = incidentIds;
    for (const incidentId of incidentIds.slice(0, 2)) {
      await step(incidentId, 'proposeAction', { actionKind: 'rotate-secret', target: resources[0]['id'], phase: 'respond', parametersJson: '{"secretName":"storage-key-1"}' });
      await step(incidentId, 'proposeAction', { actionKind: 'isolate-workload', target: resources[0]['id'], phase: 'respond' });
      await step(incidentId, 'addIncidentTask', { title: 'Check the sign-in logs', owner: 'ana@soc.example', dueAt: inDays(2) });
    }
    const key = await gql('mutation($input: IssueApiKeyInput!) { issueApiKey(input: $input) { ... on ApiKeyIssued { keyId } } }', {
      input: { tenantId, name: 'fuzz collector', roles: ['customer.viewer'], expiresAt: inDays(30) },
    });
    add('keyId', tenantId, (key['issueApiKey'] as { keyId?: string } | undefined)?.keyId);
    if (guardrails[0]) {
      await gql('mutation($input: RequestExemptionInput!) { requestExemption(input: $input) { __typename } }', {
        input: { tenantId, exemptionId: 'fuzz-exemption', guardrailId: guardrails[0].id, scope: '*', category: 'waiver', justification: 'fixture for the schema fuzz test', expiresAt: inDays(30) },
      });
      add('exemptionId', tenantId, 'fuzz-exemption');
    }
    const exported = await gql('mutation($input: RequestAuditExportInput!) { requestAuditExport(input: $input) { exportId } }', {
      input: { tenantId, from: '2026-01-01T00:00:00Z', to: now.toISOString() },
    });
    add('exportId', tenantId, (exported['requestAuditExport'] as { exportId?: string } | undefined)?.exportId);
    await gql('mutation($input: AddCloudConnectionInput!) { addCloudConnection(input: $input) { __typename } }', {
      input: { tenantId, connectionId: 'fuzz-connection', entraTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', subscriptions: [SUBSCRIPTIONS[tenantId]], credentialReference: 'default' },
    });
    add('connectionId', tenantId, 'fuzz-connection');
    const alerts = await gql('mutation($input: IngestAlertsInput!) { ingestAlerts(input: $input) { alerts { incidentId } } }', {
      input: { tenantId, payloadJson: JSON.stringify(probeAlert(`fuzz-alert-${tenantId}`)) },
    });
    for (const a of (alerts['ingestAlerts'] as { alerts?: { incidentId: string }[] } | undefined)?.alerts ?? []) {
      add('incidentId', tenantId, a.incidentId);
      incidentIds.push(a.incidentId);
    }
  }
  await h.settled();

  const cursors: Record<string, { home: string[]; other: string[] }> = {};
  const addCursor = (operation: string, tenantId: string, cursor: string | null | undefined) => {
    if (!cursor) return;
    const bucket = (cursors[operation] ??= { home: [], other: [] });
    (tenantId === HOME ? bucket.home : bucket.other).push(cursor);
  };
  for (const tenantId of [HOME, TEAM, OTHER]) {
    for (const incidentId of incidentsOf[tenantId] ?? []) {
      const read = await gql('query($t: ID!, $i: ID!) { incident(tenantId: $t, incidentId: $i) { actions { actionId } timeline { data } } }', { t: tenantId, i: incidentId });
      const incident = read['incident'] as { actions: { actionId: string }[]; timeline: { data: string }[] } | null | undefined;
      for (const a of incident?.actions ?? []) add('actionId', tenantId, a.actionId);
      for (const e of incident?.timeline ?? []) for (const m of e.data.matchAll(/"taskId":"([^"]+)"/g)) add('taskId', tenantId, m[1]);
    }
    const pages = await gql(
      `query($t: ID!) {
        auditTrail(tenantId: $t, first: 2) { pageInfo { endCursor } }
        apiKeys(tenantId: $t, first: 1) { pageInfo { endCursor } }
        findings(tenantId: $t, first: 1) { pageInfo { endCursor } }
        resources(tenantId: $t, first: 1) { pageInfo { endCursor } }
        incidents(filter: { tenantId: $t }, first: 1) { pageInfo { endCursor } }
      }`,
      { t: tenantId },
    );
    for (const [field, conn] of Object.entries(pages)) addCursor(`Query.${field}`, tenantId, (conn as { pageInfo?: { endCursor?: string | null } }).pageInfo?.endCursor);
  }
  const tenants = await gql('{ tenants(first: 1) { pageInfo { endCursor } } }');
  addCursor('Query.tenants', HOME, (tenants['tenants'] as { pageInfo?: { endCursor?: string | null } } | undefined)?.pageInfo?.endCursor);

  return {
    problems,
    ctx: {
      tenants: { home: HOME, team: TEAM, other: OTHER },
      ids,
      cursors,
      resources: resourcesOf(HOME),
      alert: probeAlert('fuzz-alert-probe'),
      now,
    },
  };
};
