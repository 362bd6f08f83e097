// What the fuzzer sends: for every slot of an operation's variables, valid-shaped values (real ids
// of the caller's tenant and of other tenants, made-up but plausible ids) and hostile ones (wrong
// types, huge, empty, NUL, lone surrogates, RTL and zero-width text, deep JSON, out-of-range
// numbers and dates, bogus cursors, enum-like strings that are no value). An input is a valid-shaped
// baseline with at most two slots replaced by a hostile value, so the hostile value gets past the
// checks in front of it (authorization, the other arguments) and reaches deep code.
import fc from 'fast-check';
import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType } from 'graphql';
import type { FuzzOperation, InputSlot } from './schema-walk';

export interface Labelled {
  readonly label: string;
  /** `undefined` leaves the variable or field out. */
  readonly value: unknown;
}

/** Ids the setup recorded through the API, for the caller's tenants and for others. */
export interface FuzzContext {
  readonly tenants: { readonly home: string; readonly team: string; readonly other: string };
  /** Per id kind (incidentId, actionId, keyId…): ids in the home tenant, in others, and made up. */
  readonly ids: Readonly<Record<string, { readonly home: readonly string[]; readonly other: readonly string[] }>>;
  /** Cursors each connection returned, by operation (`Query.auditTrail`…), in the home tenant and in others. */
  readonly cursors: Readonly<Record<string, { readonly home: readonly string[]; readonly other: readonly string[] }>>;
  /** ARM resources (JSON objects) as pushResources takes them. */
  readonly resources: readonly Record<string, unknown>[];
  /** A Defender for Cloud alert (export shape). */
  readonly alert: Record<string, unknown>;
  readonly now: Date;
  /**
   * `home`: tenant ids and ids of the home tenant only, so a hostile value gets past authorization
   * and the lookups to the deep code; `mixed` (default): other tenants' and made-up ids too.
   */
  readonly profile?: 'home' | 'mixed';
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const L = (label: string, value: unknown): Labelled => ({ label, value });
const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

// ---- hostile pools ----------------------------------------------------------------------------

/** The values most likely to break something: tried three times as often as the rest. */
export const HEADLINE_STRINGS: readonly Labelled[] = [
  L('empty', ''),
  L('spaces', '   '),
  L('whitespace-mix', ' \t\r\n\u00a0\u2003'),
  L('nul', '\u0000'),
  L('nul-inside', 'probe\u0000probe'),
  L('lone-high-surrogate', '\ud800'),
  L('lone-low-surrogate-inside', 'x\udc00y'),
  L('huge-100KB', 'A'.repeat(100_000)),
];

export const HOSTILE_STRINGS: readonly Labelled[] = [
  ...HEADLINE_STRINGS,
  L('reversed-surrogates', '\udc00\ud800'),
  L('control-chars', '\u0001\u0007\u001b[31m\u007f'),
  L('rtl-override', '\u202eexe.\u202cprobe'),
  L('zero-width', 'a\u200b\u200c\u200d\u2060\ufeffb'),
  L('emoji-zwj', '👩‍👩‍👧‍👦🏳️‍🌈🔥'),
  L('combining', 'Z\u0334\u0321\u0322\u0347a\u0337\u0327l\u0338g\u0335o'),
  L('noncharacters', '\uffff\ufffe\u{10ffff}'),
  L('huge-emoji-120KB', '😀'.repeat(30_000)),
  L('huge-newlines', '\n'.repeat(100_000)),
  L('sql-quote', "' OR '1'='1' --"),
  L('sql-like-wildcards', '%_%\\'),
  L('path-traversal', '../../../../etc/passwd'),
  L('other-tenant-stream', 't-northwind-mfg:incident-inc-000000000000'),
  L('json-operator', '{"$gt":""}'),
  L('template', '${7*7}{{7*7}}%s%n'),
  L('proto', '__proto__'),
  L('constructor', 'constructor'),
  L('script', '<script>alert(1)</script>'),
  L('crlf-injection', 'probe\r\nX-Injected: 1'),
  L('fullwidth', 'ｃｏｎｔｏｓｏ－ｂａｎｋ'),
  L('long-300', 'a'.repeat(300)),
];

const HOSTILE_TENANT_IDS: readonly Labelled[] = [
  L('tenant-uppercase', 'CONTOSO-BANK'),
  L('tenant-trailing-space', 'contoso-bank '),
  L('tenant-nul-suffix', 'contoso-bank\u0000'),
  L('tenant-wildcard', '*'),
  L('tenant-like', 'contoso%'),
  L('tenant-traversal', 'contoso-bank/../northwind-mfg'),
  L('tenant-stream-prefix', 't-northwind-mfg:'),
  L('tenant-list', 'contoso-bank,northwind-mfg'),
];

const HOSTILE_DATES: readonly Labelled[] = [
  L('date-nan', 'NaN'),
  L('date-infinity', 'Infinity'),
  L('date-words', 'tomorrow'),
  L('date-feb-30', '2027-02-30'),
  L('date-feb-30-time', '2027-02-30T00:00:00Z'),
  L('date-month-13', '2026-13-01T00:00:00Z'),
  L('date-hour-25', '2026-11-01T25:61:61Z'),
  L('date-zero', '0000-00-00T00:00:00Z'),
  L('date-year-1', '0001-01-01T00:00:00Z'),
  L('date-epoch', '1970-01-01T00:00:00Z'),
  L('date-year-9999', '9999-12-31T23:59:59Z'),
  L('date-js-max', '+275760-09-13T00:00:00.000Z'),
  L('date-past-js-max', '+275760-09-13T00:00:00.001Z'),
  L('date-js-min', '-271821-04-20T00:00:00.000Z'),
  L('date-millis', '1700000000000'),
  L('date-only', '2026-11-01'),
  L('date-offset-14h', '2026-11-01T00:00:00+14:00'),
  L('date-nanos', '2026-11-01T00:00:00.123456789Z'),
  L('date-nul-suffix', '2026-11-01T00:00:00Z\u0000'),
  L('date-padded', ' 2026-11-01T00:00:00Z '),
  L('date-duration', 'P1D'),
];

const HOSTILE_CURSORS: readonly Labelled[] = [
  L('cursor-not-base64', '!!!not base64!!!'),
  L('cursor-junk', b64('junk')),
  L('cursor-k-number', b64('{"k":1}')),
  L('cursor-k-null', b64('{"k":null}')),
  L('cursor-no-k', b64('{}')),
  L('cursor-array', b64('[]')),
  L('cursor-k-empty', b64('{"k":""}')),
  L('cursor-k-nul', b64('{"k":"\\u0000"}')),
  L('cursor-k-lone-surrogate', b64('{"k":"\\ud800"}')),
  L('cursor-position-huge', b64('{"k":"99999999999999999999/0"}')),
  L('cursor-position-negative', b64('{"k":"-1/-1"}')),
  L('cursor-position-2^64', b64('{"k":"18446744073709551616/18446744073709551616"}')),
  L('cursor-position-3-parts', b64('{"k":"1/2/3"}')),
  L('cursor-k-date-far', b64('{"k":"9999-12-31T23:59:59Z"}')),
  L('cursor-k-huge', b64(JSON.stringify({ k: 'x'.repeat(100_000) }))),
  L('cursor-k-other-tenant', b64('{"k":"t-northwind-mfg:incident-x"}')),
  L('cursor-k-separator', b64('{"k":"\\u0000|\\uffff"}')),
  L('cursor-proto', b64('{"k":"a","__proto__":{"polluted":true}}')),
  L('cursor-deep', b64(`{"k":"a","d":${deepArray(10_000)}}`)),
  L('cursor-base64-std', Buffer.from('{"k":"a"}').toString('base64')),
];

const HOSTILE_JSON: readonly Labelled[] = [
  L('json-invalid', 'not json'),
  L('json-null', 'null'),
  L('json-true', 'true'),
  L('json-number', '1'),
  L('json-string', '"string"'),
  L('json-empty-array', '[]'),
  L('json-empty-object', '{}'),
  L('json-array-null', '[null]'),
  L('json-array-empty-object', '[{}]'),
  L('json-proto', '{"__proto__":{"polluted":true}}'),
  L('json-constructor', '{"constructor":{"prototype":{"polluted":true}}}'),
  L('json-1e309', '1e309'),
  L('json-nul-string', '"\\u0000"'),
  L('json-nul-key', '{"\\u0000":"\\u0000"}'),
  L('json-lone-surrogate', '{"a":"\\ud800"}'),
  L('json-deep-array-10k', deepArray(10_000)),
  L('json-deep-object-10k', deepObject(10_000)),
  L('json-deep-array-100k', deepArray(100_000)),
  L('json-huge-array-100k', `[${new Array(100_000).fill('0').join(',')}]`),
  L('json-huge-string', JSON.stringify('x'.repeat(100_000))),
  L('json-trailing-garbage', '{} x'),
  L('json-duplicate-keys', '{"a":1,"a":2}'),
  L('json-bom', '\ufeff{}'),
];

/** Deep and NUL-carrying JSON: tried more often in every JSON argument. */
const HEADLINE_JSON: readonly Labelled[] = HOSTILE_JSON.filter((j) => ['json-deep-array-10k', 'json-deep-object-10k', 'json-nul-string', 'json-nul-key', 'json-lone-surrogate'].includes(j.label));

/** Values of the wrong type for a scalar (the API must refuse them in variable coercion). */
const wrongTypes = (scalar: string | undefined, enumValues: string[] | undefined): Labelled[] => {
  if (enumValues) {
    return [
      L('enum-bogus', 'BOGUS'),
      L('enum-lowercase', enumValues[0].toLowerCase()),
      L('enum-empty', ''),
      L('enum-padded', ` ${enumValues[0]} `),
      L('enum-number', 1),
      L('enum-proto', '__proto__'),
    ];
  }
  switch (scalar) {
    case 'Int':
      return [L('int-2^31', 2 ** 31), L('int-below-min', -(2 ** 31) - 1), L('int-fraction', 1.5), L('int-1e308', 1e308), L('int-as-string', '10'), L('int-as-bool', true), L('int-nan-string', 'NaN')];
    case 'Float':
      return [L('float-as-string', '1.5'), L('float-as-bool', true), L('float-nan-string', 'NaN')];
    case 'Boolean':
      return [L('bool-as-string', 'true'), L('bool-as-number', 1), L('bool-as-object', {})];
    case 'ID':
      return [L('id-fraction', 1.5), L('id-bool', true), L('id-object', { id: 'x' }), L('id-list', ['x'])];
    default:
      return [L('string-as-number', 123), L('string-as-bool', true), L('string-as-object', { a: 1 }), L('string-as-list', ['a', 'b'])];
  }
};

const HOSTILE_INTS: readonly Labelled[] = [L('int-negative', -1), L('int-zero', 0), L('int-min', -(2 ** 31)), L('int-max', 2 ** 31 - 1), L('int-101', 101), L('int-million', 1_000_000)];

// ---- meaning of a slot, from its name ---------------------------------------------------------

const KIND_BY_NAME: Record<string, string> = {
  tenantId: 'tenantId',
  after: 'cursor',
  first: 'pageSize',
  last: 'pageSize',
  offset: 'offset',
  asOf: 'pastDate',
  from: 'fromDate',
  since: 'fromDate',
  to: 'toDate',
  until: 'toDate',
  expiresAt: 'futureDate',
  validUntil: 'futureDate',
  dueAt: 'futureDate',
  incidentId: 'incidentId',
  into: 'incidentId',
  actionId: 'actionId',
  keyId: 'keyId',
  exemptionId: 'exemptionId',
  exportId: 'exportId',
  assignmentId: 'assignmentId',
  baselineId: 'baselineId',
  preventionBaselineId: 'baselineId',
  guardrailId: 'guardrailId',
  preventionGuardrailId: 'guardrailId',
  id: 'resourceId',
  resourceIds: 'resourceId',
  target: 'resourceId',
  taskId: 'taskId',
  connectionId: 'connectionId',
  severity: 'severity',
  incidentSeverities: 'severity',
  findingSeverities: 'severity',
  notifySeverities: 'severity',
  sha256: 'sha256',
  uri: 'uri',
  evidenceUri: 'uri',
  contactEmail: 'email',
  roles: 'role',
  socTeam: 'socTeam',
  entraTenantId: 'guid',
  subscriptions: 'subscriptionId',
  managementGroups: 'managementGroup',
  scope: 'scope',
  expectedRevision: 'revision',
  /** A library definition's version (setLibraryVersion). */
  version: 'version',
  correlationWindowMinutes: 'minutes',
  approvalExpiryMinutes: 'minutes',
  acknowledgeMinutes: 'minutes',
  containMinutes: 'minutes',
  resolveMinutes: 'minutes',
  maxEvidenceAgeHours: 'hours',
  /** A rollout ring's index. */
  ring: 'revision',
  classification: 'classification',
  category: 'category',
  phase: 'phase',
  actionKind: 'actionKind',
  preApprovedActions: 'actionKind',
  status: 'status',
  sector: 'sector',
  state: 'complianceState',
  type: 'resourceType',
  resourceGroup: 'resourceGroup',
  entities: 'entity',
  credentialReference: 'credentialReference',
  definitionJson: 'policyJson',
  parametersJson: 'parametersJson',
  resourcesJson: 'resourcesJson',
  payloadJson: 'alertJson',
  assignee: 'person',
  owner: 'person',
  name: 'name',
  displayName: 'name',
};

/** Creating operations: a valid id is mostly a new one, so the command gets past "already exists". */
const NEW_IDS: Record<string, string> = {
  'Mutation.requestExemption exemptionId': 'exemptionId',
  'Mutation.assignBaseline assignmentId': 'assignmentId',
  'Mutation.addCloudConnection connectionId': 'connectionId',
};

export const kindOf = (operation: string, slot: InputSlot): string => {
  if (slot.name === 'tenantId' && operation === 'Mutation.onboardTenant') return 'newTenantId';
  const created = NEW_IDS[`${operation} ${slot.name}`];
  if (created) return `new:${created}`;
  if (slot.name === 'after') return `cursor:${operation}`;
  if (slot.name === 'parametersJson') {
    if (operation === 'Query.replayPolicy') return 'replayParametersJson';
    if (operation === 'Mutation.proposeAction') return 'actionParametersJson';
  }
  return KIND_BY_NAME[slot.name] ?? 'text';
};

const ID_KINDS = ['incidentId', 'actionId', 'keyId', 'exemptionId', 'exportId', 'assignmentId', 'baselineId', 'guardrailId', 'resourceId', 'taskId', 'connectionId'];

/** Plausible ids that exist nowhere. */
const MADE_UP_IDS: Record<string, string> = {
  incidentId: 'inc-000000000000',
  actionId: 'act-000000000000',
  keyId: 'aaaaaaaaaaaa',
  exemptionId: 'no-such-exemption',
  exportId: '00000000-0000-4000-8000-000000000000',
  assignmentId: 'no-such-assignment',
  baselineId: 'no-such-baseline',
  guardrailId: 'no-such-guardrail',
  resourceId: '/subscriptions/00000000-0000-0000-0000-00000000000f/resourceGroups/rg/providers/Microsoft.Web/sites/nowhere',
  taskId: 't-000000000000',
  connectionId: 'no-such-connection',
};

// ---- JSON arguments ---------------------------------------------------------------------------

// Deep structures are written as text: JSON.stringify itself would overflow the stack on them.
const notNested = (depth: number, leaf: unknown): string => '{"not":'.repeat(depth) + JSON.stringify(leaf) + '}'.repeat(depth);
const allOfNested = (depth: number, leaf: unknown): string => '{"allOf":['.repeat(depth) + JSON.stringify(leaf) + ']}'.repeat(depth);
const policyText = (conditionJson: string, effectJson = '"audit"') => `{"policyRule":{"if":${conditionJson},"then":{"effect":${effectJson}}}}`;
const policy = (condition: unknown, effect: unknown = 'audit') => policyText(JSON.stringify(condition), JSON.stringify(effect));
/** `json` with the string "__DEEP__" replaced by `deep` (raw JSON text). */
const withDeep = (json: string, deep: string) => json.replace('"__DEEP__"', deep);
const webAppCondition = { field: 'type', equals: 'Microsoft.Web/sites' };

/** Replaces every string in a JSON sample that `pick` selects with `value`. */
const injectStrings = (sample: unknown, value: string, pick: number): unknown => {
  let seen = 0;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return seen++ % 3 === pick % 3 ? value : node;
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(sample);
};

/** Valid JSON samples and JSON-specific hostile values for each JSON kind. */
type JsonPools = { valid: Labelled[]; hostile: Labelled[]; sample: unknown };
const jsonPoolCache = new WeakMap<FuzzContext, Map<string, JsonPools>>();
const jsonPools = (kind: string, ctx: FuzzContext): JsonPools => {
  let byKind = jsonPoolCache.get(ctx);
  if (!byKind) jsonPoolCache.set(ctx, (byKind = new Map()));
  let pools = byKind.get(kind);
  if (!pools) byKind.set(kind, (pools = buildJsonPools(kind, ctx)));
  return pools;
};

const buildJsonPools = (kind: string, ctx: FuzzContext): JsonPools => {
  switch (kind) {
    case 'policyJson': {
      // Every valid definition takes an `effect` parameter with a default, so any valid parametersJson fits.
      const parameters = { effect: { type: 'String', allowedValues: ['Audit', 'Deny', 'Disabled'], defaultValue: 'Audit' } };
      const rule = (condition: unknown) => ({ if: condition, then: { effect: "[parameters('effect')]" } });
      const storage = { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', notEquals: 'TLS1_2' }] };
      const sample = { properties: { displayName: 'Fuzz policy', mode: 'Indexed', parameters, policyRule: rule({ allOf: [webAppCondition, { field: 'name', like: 'app-*' }] }) } };
      return {
        valid: [
          L('policy-web-app', JSON.stringify({ parameters, policyRule: rule(webAppCondition) })),
          L('policy-export-shape', JSON.stringify(sample)),
          L('policy-storage-tls', JSON.stringify({ properties: { parameters, policyRule: rule(storage) } })),
        ],
        sample,
        hostile: [
          L('policy-deep-not-10k', policyText(notNested(10_000, webAppCondition))),
          L('policy-deep-allOf-10k', policyText(allOfNested(10_000, webAppCondition))),
          L('policy-deep-not-1k', policyText(notNested(1_000, webAppCondition))),
          L('policy-deep-rule-json-10k', `{"policyRule":{"if":${deepObject(10_000)},"then":{"effect":"audit"}}}`),
          L('policy-no-rule', '{"properties":{}}'),
          L('policy-rule-array', '{"policyRule":[]}'),
          L('policy-if-null', '{"policyRule":{"if":null,"then":{"effect":"audit"}}}'),
          L('policy-field-nul', policy({ field: 'tags[\u0000]', exists: 'true' })),
          L('policy-equals-lone-surrogate', policy({ field: 'name', equals: '\ud800' })),
          L('policy-like-huge', policy({ field: 'name', like: '*a'.repeat(20_000) })),
          L('policy-match-huge', policy({ field: 'name', match: '#?'.repeat(20_000) })),
          L('policy-in-100k', policy({ field: 'location', in: new Array(100_000).fill('x') })),
          L('policy-effect-param', policy(webAppCondition, "[parameters('effect')]")),
          L('policy-effect-object', policy(webAppCondition, { value: { nested: true } })),
          L('policy-count-deep', policyText(withDeep(JSON.stringify({ count: { field: 'tags[*]', where: '__DEEP__' }, greater: 0 }), notNested(5_000, webAppCondition)))),
          L('policy-unknown-operator', policy({ field: 'name', frobnicates: 'x' })),
        ],
      };
    }
    case 'replayParametersJson':
      return {
        valid: [L('params-effect', '{"effect":"Deny"}'), L('params-effect-value', '{"effect":{"value":"Audit"}}'), L('params-none', '{}')],
        sample: { effect: { value: 'Audit' } },
        hostile: [L('params-effect-deep', `{"effect":${deepObject(10_000)}}`), L('params-effect-number', '{"effect":1}'), L('params-array', '[1,2]')],
      };
    case 'actionParametersJson':
      return {
        valid: [L('action-params', '{"secretName":"storage-key-1"}'), L('action-params-empty', '{}')],
        sample: { secretName: 'storage-key-1', subnetId: '/subscriptions/s/subnets/a' },
        hostile: [L('action-params-not-strings', '{"secretName":{"nested":[1,2,3]}}'), L('action-params-deep', `{"secretName":${deepObject(10_000)}}`), L('action-params-many', JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 'v']))))],
      };
    case 'parametersJson':
      return {
        valid: [L('baseline-params', '{"storage-weak-tls":{"minimumTlsVersion":"TLS1_2"}}'), L('baseline-params-empty', '{}')],
        sample: { 'storage-weak-tls': { minimumTlsVersion: 'TLS1_2' } },
        hostile: [L('baseline-params-deep', `{"storage-weak-tls":${deepObject(10_000)}}`), L('baseline-params-array', '{"storage-weak-tls":[1]}'), L('baseline-params-unknown-guardrail', '{"no-such-guardrail":{"x":1}}')],
      };
    case 'resourcesJson': {
      const [first] = ctx.resources;
      return {
        valid: [L('resources-one', JSON.stringify([first])), L('resources-all', JSON.stringify(ctx.resources)), L('resources-empty', '[]')],
        sample: [first],
        hostile: [
          L('resources-501', JSON.stringify(Array.from({ length: 501 }, (_, i) => ({ ...first, id: `${String(first['id'])}-${i}`, name: `app-${i}` })))),
          L('resources-deep-properties', `[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Web/sites/deep","name":"deep","type":"Microsoft.Web/sites","properties":${deepObject(10_000)}}]`),
          L('resources-duplicate-ids', JSON.stringify([first, { ...first, name: 'again' }])),
          L('resources-no-id', JSON.stringify([{ ...first, id: undefined }])),
          L('resources-id-not-arm', JSON.stringify([{ ...first, id: 'not-an-arm-id' }])),
          L('resources-huge-tags', JSON.stringify([{ ...first, tags: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`t${i}`, 'v'.repeat(10)])) }])),
          L('resources-other-tenant-id', JSON.stringify([{ ...first, id: 't-northwind-mfg:resource' }])),
        ],
      };
    }
    case 'alertJson':
      return {
        valid: [L('alert-export', JSON.stringify(ctx.alert)), L('alert-page', JSON.stringify({ value: [ctx.alert] }))],
        sample: ctx.alert,
        hostile: [
          L('alert-deep-entities', withDeep(JSON.stringify({ ...ctx.alert, Entities: '__DEEP__' }), deepArray(5_000))),
          L('alert-page-300', JSON.stringify({ value: Array.from({ length: 300 }, (_, i) => ({ ...ctx.alert, SystemAlertId: `fuzz-alert-${i}` })) })),
          L('alert-time-far', JSON.stringify({ ...ctx.alert, StartTimeUtc: '+275760-09-13T00:00:00.000Z', TimeGenerated: '0001-01-01T00:00:00Z' })),
          L('alert-time-invalid', JSON.stringify({ ...ctx.alert, StartTimeUtc: '2027-02-30T00:00:00Z', TimeGenerated: 'NaN' })),
          L('alert-severity-object', JSON.stringify({ ...ctx.alert, Severity: { x: 1 } })),
          L('alert-no-id', JSON.stringify({ ...ctx.alert, SystemAlertId: undefined })),
        ],
      };
    default:
      throw new Error(`no JSON pool for ${kind}`);
  }
};

// ---- valid-shaped values ----------------------------------------------------------------------

const iso = (d: Date) => d.toISOString();

const validPool = (kind: string, ctx: FuzzContext): fc.Arbitrary<Labelled> => {
  const c = (...values: unknown[]) => fc.constantFrom(...values.map((v) => L('valid', v)));
  const day = 86_400_000;
  const { home, team, other } = ctx.tenants;
  if (ID_KINDS.includes(kind)) {
    const ids = ctx.ids[kind] ?? { home: [], other: [] };
    if (ctx.profile === 'home') return ids.home.length ? fc.constantFrom(...ids.home).map((v) => L('valid-home-id', v)) : fc.constant(L('valid-made-up-id', MADE_UP_IDS[kind]));
    return fc.oneof(
      ...(ids.home.length ? [{ weight: 4, arbitrary: fc.constantFrom(...ids.home).map((v) => L('valid-home-id', v)) }] : []),
      ...(ids.other.length ? [{ weight: 2, arbitrary: fc.constantFrom(...ids.other).map((v) => L('valid-other-tenant-id', v)) }] : []),
      { weight: 1, arbitrary: fc.constant(L('valid-made-up-id', MADE_UP_IDS[kind])) },
    );
  }
  if (kind.endsWith('Json') && kind !== 'text') return fc.constantFrom(...jsonPools(kind, ctx).valid);
  if (kind.startsWith('new:')) {
    const existing = ctx.ids[kind.slice(4)]?.home ?? [];
    const fresh = fc.integer({ min: 1, max: 999_999 }).map((n) => L('valid-new-id', `fuzz-${n}`));
    return ctx.profile === 'home' || !existing.length ? fresh : fc.oneof({ weight: 3, arbitrary: fresh }, { weight: 1, arbitrary: fc.constantFrom(...existing).map((v) => L('valid-existing-id', v)) });
  }
  if (kind.startsWith('cursor:')) {
    const cursors = ctx.cursors[kind.slice(7)] ?? { home: [], other: [] };
    if (ctx.profile === 'home') return fc.constantFrom(...cursors.home, null).map((v) => L(v ? 'valid-home-cursor' : 'valid-no-cursor', v));
    return fc.oneof(
      ...(cursors.home.length ? [{ weight: 3, arbitrary: fc.constantFrom(...cursors.home).map((v) => L('valid-home-cursor', v)) }] : []),
      ...(cursors.other.length ? [{ weight: 2, arbitrary: fc.constantFrom(...cursors.other).map((v) => L('valid-other-tenant-cursor', v)) }] : []),
      { weight: 1, arbitrary: fc.constant(L('valid-no-cursor', null)) },
    );
  }
  switch (kind) {
    case 'tenantId':
      if (ctx.profile === 'home') return fc.constant(L('valid-home-tenant', home));
      return fc.oneof(
        { weight: 5, arbitrary: fc.constant(L('valid-home-tenant', home)) },
        { weight: 1, arbitrary: fc.constant(L('valid-team-tenant', team)) },
        { weight: 2, arbitrary: fc.constant(L('valid-other-tenant', other)) },
        { weight: 1, arbitrary: fc.constant(L('valid-unknown-tenant', 'no-such-tenant')) },
      );
    case 'newTenantId':
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 1, max: 999_999 }).map((n) => L('valid-new-tenant', `fuzz-${n}`)) },
        { weight: 1, arbitrary: fc.constant(L('valid-existing-tenant', home)) },
      );
    case 'pageSize':
      return c(1, 5, 50, 100);
    case 'offset':
      return c(0, 1, 10);
    case 'pastDate':
      return c('2026-01-01T00:00:00Z', '2026-11-01T00:00:00.000Z', iso(new Date(ctx.now.getTime() - 3 * day)), iso(new Date(ctx.now.getTime() + 60_000)));
    // Periods: every `from` comes before every `to`, and no `to` is in the future.
    case 'fromDate':
      return c('2026-01-01T00:00:00Z', '2026-11-01T00:00:00.000Z', iso(new Date(ctx.now.getTime() - 3 * day)));
    case 'toDate':
      return c(iso(new Date(ctx.now.getTime() - day)), iso(new Date(ctx.now.getTime() - 60_000)));
    case 'futureDate':
      return c(iso(new Date(ctx.now.getTime() + 7 * day)), iso(new Date(ctx.now.getTime() + 30 * day)), iso(new Date(ctx.now.getTime() + 300 * day)));
    case 'severity':
      return c('low', 'medium', 'high', 'critical');
    case 'sha256':
      return c('a'.repeat(64), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    case 'uri':
      return c('https://evidence.example/case/1', 'https://contoso.example/share/log.txt');
    case 'email':
      return c('soc@contoso.example');
    case 'role':
      return c('customer.viewer', 'customer.admin', 'soc.analyst', 'soc.lead');
    case 'socTeam':
      return c('green', 'night-shift');
    case 'guid':
      return c('72f988bf-86f1-41af-91ab-2d7cd011db47');
    case 'subscriptionId':
      return c('00000000-0000-0000-0000-00000000000a');
    case 'managementGroup':
      return c('mg-root');
    case 'scope':
      return c('*', '/subscriptions/00000000-0000-0000-0000-00000000000a', '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-fuzz', String(ctx.resources[0]?.['id'] ?? '*'));
    case 'revision':
      return c(0, 1, 3);
    case 'version':
      return c(1, 2);
    case 'minutes':
      return c(15, 60, 240);
    case 'hours':
      return c(72, 168, 24);
    case 'classification':
      return c('true-positive', 'benign-positive', 'false-positive', 'undetermined');
    case 'category':
      return c('waiver', 'mitigated');
    case 'phase':
      return c('respond', 'remediate', 'recover');
    case 'actionKind':
      return c('rotate-secret', 'isolate-workload', 'enable-authentication', 'harden-configuration');
    case 'status':
      return c('open', 'resolved', 'active', 'suspended', 'new', 'triaged');
    case 'sector':
      return c('finance', 'retail', 'manufacturing');
    case 'complianceState':
      return c('nonCompliant', 'compliant');
    case 'resourceType':
      return c('Microsoft.Web/sites', 'microsoft.storage/storageaccounts');
    case 'resourceGroup':
      return c('rg-fuzz');
    case 'entity':
      return c('ip:203.0.113.7', 'host:web-01');
    case 'credentialReference':
      return c('default');
    case 'person':
      return c('ana@soc.example', 'it@contoso.example');
    case 'name':
      return c('Fuzz probe', 'SIEM');
    default:
      return c('Fuzz probe', 'Suspicious sign-ins from 203.0.113.7');
  }
};

const scalarInfo = (type: GraphQLInputType) => {
  const named = getNamedType(type);
  return isEnumType(named) ? { enumValues: named.getValues().map((v) => v.name) } : { scalar: named.name };
};

/** A valid-shaped value of `type` for a slot named `name` (undefined = left out, when allowed). */
export const validValue = (operation: string, slot: Pick<InputSlot, 'name' | 'path'>, type: GraphQLInputType, ctx: FuzzContext, omitWeight = 1): fc.Arbitrary<unknown> => {
  if (!isNonNullType(type)) {
    // A revision sent is mostly stale: leave it out more often, so the command is decided.
    if (kindOf(operation, { ...slot, type, required: false, container: false }) === 'revision') omitWeight = 6;
    return fc.oneof({ weight: 3, arbitrary: validInner(operation, slot, type, ctx) }, { weight: omitWeight, arbitrary: fc.constant(undefined) });
  }
  return validInner(operation, slot, type.ofType as GraphQLInputType, ctx);
};

const validInner = (operation: string, slot: Pick<InputSlot, 'name' | 'path'>, type: GraphQLInputType, ctx: FuzzContext): fc.Arbitrary<unknown> => {
  if (isListType(type)) {
    const element = (isNonNullType(type.ofType) ? type.ofType.ofType : type.ofType) as GraphQLInputType;
    return fc.array(validInner(operation, slot, element, ctx), { minLength: 1, maxLength: 2 });
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc
      .tuple(...fields.map((f) => validValue(operation, { name: f.name, path: [...slot.path, f.name] }, f.type, ctx)))
      .map((values) => Object.fromEntries(fields.map((f, i) => [f.name, values[i]]).filter(([, v]) => v !== undefined)));
  }
  const info = scalarInfo(type);
  if (info.enumValues) return fc.constantFrom(...info.enumValues);
  if (info.scalar === 'Boolean') return fc.boolean();
  return validPool(kindOf(operation, { ...slot, type, required: false, container: false }), ctx).map((l) => l.value);
};

// ---- hostile values for one slot --------------------------------------------------------------

const weighted = (weight: number, pool: readonly Labelled[]) => ({ weight, arbitrary: fc.constantFrom(...pool) });

const hostileScalar = (operation: string, slot: InputSlot, type: GraphQLInputType, ctx: FuzzContext): fc.Arbitrary<Labelled> => {
  const info = scalarInfo(type);
  const kind = kindOf(operation, slot);
  const wrong = weighted(1, wrongTypes(info.scalar, info.enumValues));
  if (info.enumValues) return fc.oneof(wrong);
  if (info.scalar === 'Boolean') return fc.oneof(wrong);
  if (info.scalar === 'Int' || info.scalar === 'Float') return fc.oneof(weighted(3, HOSTILE_INTS), wrong);
  const randomText = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }).map((s) => L('random-binary', s)),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }).map((s) => L('random-grapheme', s)),
  );
  const strings = [weighted(4, HEADLINE_STRINGS), weighted(6, HOSTILE_STRINGS), { weight: 2, arbitrary: randomText }, wrong];
  if (kind === 'tenantId' || kind === 'newTenantId') return fc.oneof(weighted(3, HOSTILE_TENANT_IDS), ...strings);
  if (kind.endsWith('Date')) return fc.oneof(weighted(5, HOSTILE_DATES), ...strings);
  if (kind.startsWith('cursor')) return fc.oneof(weighted(5, HOSTILE_CURSORS), ...strings);
  if (kind.endsWith('Json')) {
    const pools = jsonPools(kind, ctx);
    const injected = fc
      .tuple(fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.value !== '' && String(s.value).length < 1_000)), fc.nat(2))
      .map(([s, pick]) => L(`json-inject:${s.label}`, JSON.stringify(injectStrings(pools.sample, String(s.value), pick))));
    return fc.oneof(weighted(3, HEADLINE_JSON), weighted(5, pools.hostile), weighted(3, HOSTILE_JSON), { weight: 3, arbitrary: injected }, ...strings);
  }
  return fc.oneof(...strings);
};

const hostileList = (operation: string, slot: InputSlot, type: GraphQLInputType, ctx: FuzzContext): fc.Arbitrary<Labelled> => {
  const inner = (isNonNullType(type) ? type.ofType : type) as GraphQLInputType;
  const elementType = (isListType(inner) ? inner.ofType : inner) as GraphQLInputType;
  const element = (isNonNullType(elementType) ? elementType.ofType : elementType) as GraphQLInputType;
  const validElement = validInner(operation, slot, element, ctx);
  const hostileElement = isInputObjectType(element)
    ? hostileObjectElement(operation, slot, element, ctx)
    : hostileScalar(operation, slot, element, ctx);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(validElement, hostileElement).map(([v, h]) => L(`list-with:${h.label}`, [v, h.value])) },
    { weight: 1, arbitrary: hostileElement.map((h) => L(`list-as-single:${h.label}`, h.value)) },
    { weight: 1, arbitrary: validElement.map((v) => L('list-10k', new Array(10_000).fill(v))) },
    { weight: 1, arbitrary: fc.constant(L('list-null-element', [null])) },
    { weight: 1, arbitrary: fc.constant(L('list-empty', [])) },
    { weight: 1, arbitrary: fc.constant(L('list-nested', [['x']])) },
  );
};

/** An element of a list of input objects with one field hostile. */
const hostileObjectElement = (operation: string, slot: InputSlot, type: GraphQLInputType, ctx: FuzzContext): fc.Arbitrary<Labelled> => {
  if (!isInputObjectType(type)) throw new Error('not an input object');
  const fields = Object.values(type.getFields());
  return fc
    .tuple(
      validInner(operation, slot, type, ctx),
      fc.constantFrom(...fields).chain((f) =>
        hostileScalar(operation, { ...slot, name: f.name, path: [...slot.path, f.name], type: f.type, container: false }, f.type, ctx).map((h) => [f.name, h] as const),
      ),
    )
    .map(([valid, [field, h]]) => L(`${field}:${h.label}`, { ...(valid as object), [field]: h.value }));
};

const hostileContainer = (operation: string, slot: InputSlot, ctx: FuzzContext): fc.Arbitrary<Labelled> => {
  const named = getNamedType(slot.type);
  if (!isInputObjectType(named)) throw new Error('not an input object');
  const valid = validInner(operation, slot, named, ctx) as fc.Arbitrary<Record<string, unknown>>;
  const required = Object.values(named.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
  return fc.oneof(
    fc.constant(L('object-null', null)),
    fc.constant(L('object-as-string', 'input')),
    fc.constant(L('object-as-list', [])),
    fc.constant(L('object-empty', {})),
    valid.map((v) => L('object-unknown-field', { ...v, bogusField: 1 })),
    valid.map((v) => L('object-proto-field', Object.defineProperty({ ...v }, '__proto__', { value: { polluted: true }, enumerable: true }))),
    ...(required.length ? [fc.tuple(valid, fc.constantFrom(...required)).map(([v, f]) => L(`object-missing:${f.name}`, { ...v, [f.name]: undefined }))] : []),
  );
};

/** A hostile value for one slot of an operation. */
export const hostileValue = (operation: string, slot: InputSlot, ctx: FuzzContext): fc.Arbitrary<Labelled> => {
  const inner = (isNonNullType(slot.type) ? slot.type.ofType : slot.type) as GraphQLInputType;
  if (slot.container && !isListType(inner)) return hostileContainer(operation, slot, ctx);
  const leaf = isListType(inner) ? hostileList(operation, slot, slot.type, ctx) : hostileScalar(operation, slot, slot.type, ctx);
  // Leaving out a required value, or an explicit null, belongs to every slot.
  return fc.oneof({ weight: 12, arbitrary: leaf }, { weight: 1, arbitrary: fc.constant(slot.required ? L('required-missing', undefined) : L('explicit-null', null)) });
};

// ---- one fuzz input ---------------------------------------------------------------------------

export interface Mutation {
  readonly path: readonly string[];
  readonly label: string;
  readonly value: unknown;
}

/** The baseline variables and the hostile replacements; the caller is chosen alongside. */
export interface FuzzVariables {
  readonly baseline: Record<string, unknown>;
  readonly mutations: readonly Mutation[];
}

/** `one`: exactly one hostile value; `any`: none, one or two. */
export const variablesArbitrary = (op: FuzzOperation, ctx: FuzzContext, hostile: 'one' | 'any' = 'any'): fc.Arbitrary<FuzzVariables> => {
  const baseline = fc
    .tuple(...op.variables.map((v) => validValue(op.name, { name: v.argName, path: [v.name] }, v.type, ctx, v.name.includes('_') ? 3 : 1)))
    .map((values) => Object.fromEntries(op.variables.map((v, i) => [v.name, values[i]]).filter(([, x]) => x !== undefined)));
  if (op.slots.length === 0) return fc.record({ baseline: fc.constant({}), mutations: fc.constant([]) });
  // A whole input object replaced is refused by GraphQL alone: aim mostly at the values inside.
  const mutation = fc.oneof(
    ...op.slots.map((slot) => ({ weight: slot.container ? 1 : 3, arbitrary: hostileValue(op.name, slot, ctx).map((h): Mutation => ({ path: slot.path, label: h.label, value: h.value })) })),
  );
  return fc.record({
    baseline: baseline.map((b) => (op.variables.length ? b : {})),
    mutations:
      hostile === 'one'
        ? fc.tuple(mutation)
        : fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 5, arbitrary: fc.tuple(mutation) }, { weight: 2, arbitrary: fc.tuple(mutation, mutation) }),
  });
};

/** The variables to send: the baseline with the mutations applied in order. */
export const applyMutations = (v: FuzzVariables): Record<string, unknown> => {
  const out = structuredClone(v.baseline);
  for (const m of v.mutations) {
    let node: Record<string, unknown> = out;
    for (const key of m.path.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const last = m.path[m.path.length - 1];
    if (m.value === undefined) delete node[last];
    else node[last] = m.value;
  }
  return out;
};

// ---- the simplest valid variables, for cutting a failure down -----------------------------------

const firstValid = (operation: string, name: string, type: GraphQLInputType, ctx: FuzzContext): unknown => {
  const kind = kindOf(operation, { name, path: [name], type, required: true, container: false });
  if (ID_KINDS.includes(kind)) return ctx.ids[kind]?.home[0] ?? MADE_UP_IDS[kind];
  if (kind === 'tenantId') return ctx.tenants.home;
  if (kind === 'newTenantId') return `fuzz-min-${Date.now() % 1_000_000}`;
  if (kind.startsWith('cursor')) return null;
  if (kind.startsWith('new:')) return `fuzz-min-${Date.now() % 1_000_000}`;
  if (kind.endsWith('Json')) return jsonPools(kind, ctx).valid[0].value;
  return fc.sample(validPool(kind, ctx), { seed: 1, numRuns: 1 })[0].value;
};

const canonicalInner = (operation: string, name: string, type: GraphQLInputType, ctx: FuzzContext): unknown => {
  if (isListType(type)) {
    const element = (isNonNullType(type.ofType) ? type.ofType.ofType : type.ofType) as GraphQLInputType;
    return [canonicalInner(operation, name, element, ctx)];
  }
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, canonicalInner(operation, f.name, (f.type as { ofType: GraphQLInputType }).ofType, ctx)]),
    );
  }
  const info = scalarInfo(type);
  if (info.enumValues) return info.enumValues[0];
  if (info.scalar === 'Boolean') return true;
  return firstValid(operation, name, type, ctx);
};

/** Required variables only, each with its simplest valid value (the home tenant, its first ids). */
export const canonicalVariables = (op: FuzzOperation, ctx: FuzzContext): Record<string, unknown> =>
  Object.fromEntries(
    op.variables.filter((v) => v.required).map((v) => [v.name, canonicalInner(op.name, v.argName, (isNonNullType(v.type) ? v.type.ofType : v.type) as GraphQLInputType, ctx)]),
  );

/** Optional positions of some variables that can be left out, deepest first: for greedy cutting. */
export const optionalPaths = (op: FuzzOperation, variables: Record<string, unknown>, keep: readonly string[]): string[][] => {
  const has = (path: readonly string[]) => {
    let node: unknown = variables;
    for (const k of path) {
      if (!node || typeof node !== 'object' || !(k in (node as object))) return false;
      node = (node as Record<string, unknown>)[k];
    }
    return true;
  };
  return op.slots
    .filter((s) => !s.required && has(s.path) && !keep.some((k) => k === s.path.join('.') || k.startsWith(`${s.path.join('.')}.`)))
    .map((s) => [...s.path])
    .sort((a, b) => b.length - a.length);
};

export const withoutPath = (variables: Record<string, unknown>, path: readonly string[]): Record<string, unknown> => {
  const out = structuredClone(variables);
  let node: Record<string, unknown> = out;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
  delete node[path[path.length - 1]];
  return out;
};

// ---- the sweep: every slot gets the headline values once, before the random inputs -------------

const pick = (pool: readonly Labelled[], labels: readonly string[]) => pool.filter((l) => labels.includes(l.label));

/** The values every slot of its kind must survive; tried once each per slot, on a valid baseline. */
export const headlineValues = (operation: string, slot: InputSlot, ctx: FuzzContext): Labelled[] => {
  if (slot.container) return [];
  const inner = (isNonNullType(slot.type) ? slot.type.ofType : slot.type) as GraphQLInputType;
  const named = getNamedType(slot.type);
  if (isEnumType(named)) return [];
  if (isListType(inner)) {
    if (isInputObjectType(named)) {
      const fields = Object.values(named.getFields()).filter((f) => getNamedType(f.type).name === 'String');
      const valid = fc.sample(validInner(operation, slot, named, ctx), { seed: 1, numRuns: 1 })[0] as Record<string, unknown>;
      return fields.flatMap((f) => pick(HEADLINE_STRINGS, ['nul', 'lone-high-surrogate', 'empty']).map((h) => L(`list-with:${f.name}:${h.label}`, [{ ...valid, [f.name]: h.value }])));
    }
    const valid = fc.sample(validInner(operation, slot, getNamedType(slot.type) as GraphQLInputType, ctx), { seed: 1, numRuns: 1 })[0];
    if (named.name !== 'String' && named.name !== 'ID') return [L('list-10k', new Array(10_000).fill(valid))];
    return [...pick(HEADLINE_STRINGS, ['nul', 'lone-high-surrogate', 'empty', 'spaces']).map((h) => L(`list-with:${h.label}`, [valid, h.value])), L('list-10k', new Array(10_000).fill(valid))];
  }
  const info = scalarInfo(slot.type);
  if (info.scalar === 'Boolean') return [];
  if (info.scalar === 'Int' || info.scalar === 'Float') return pick(HOSTILE_INTS, ['int-negative', 'int-min', 'int-max']);
  const kind = kindOf(operation, slot);
  const basics = pick(HEADLINE_STRINGS, ['empty', 'nul', 'lone-high-surrogate']);
  if (kind.endsWith('Json')) {
    const pools = jsonPools(kind, ctx);
    return [...HEADLINE_JSON, ...pools.hostile.filter((h) => /deep|huge|in-100k|like|match/.test(h.label)), ...basics];
  }
  if (kind.endsWith('Date')) return [...pick(HOSTILE_DATES, ['date-feb-30-time', 'date-js-max', 'date-past-js-max', 'date-year-1', 'date-nan']), ...basics, ...pick(HEADLINE_STRINGS, ['huge-100KB'])];
  if (kind.startsWith('cursor')) return [...pick(HOSTILE_CURSORS, ['cursor-k-nul', 'cursor-k-lone-surrogate', 'cursor-position-huge', 'cursor-position-2^64', 'cursor-k-huge', 'cursor-junk']), ...basics];
  return [...HEADLINE_STRINGS];
};

/** The sweep of an operation: each slot's headline values, one at a time, on valid baselines. */
export const sweepOf = (op: FuzzOperation, ctx: FuzzContext, seed: number): FuzzVariables[] => {
  const homeCtx: FuzzContext = { ...ctx, profile: 'home' };
  const baselines = fc.sample(variablesArbitrary(op, homeCtx, 'one').map((v) => v.baseline), { seed, numRuns: 4 });
  let i = 0;
  return op.slots.flatMap((slot) =>
    headlineValues(op.name, slot, homeCtx).map((h) => ({ baseline: baselines[i++ % baselines.length] ?? {}, mutations: [{ path: slot.path, label: h.label, value: h.value }] })),
  );
};
