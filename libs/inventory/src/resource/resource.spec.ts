import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationOf, contentHash } from './content';
import { armIdType } from '@rampart/resource-model';
import { MAX_RESOURCE_BYTES, normaliseArmResource } from './resource';
import { storableText } from '@rampart/event-sourcing';

const examplesDir = join(__dirname, '..', 'testing', 'arm-examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, body: JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as Record<string, unknown> }));

/** What the same resource looks like as a Resource Graph `resources` row (see the corpus README). */
const asResourceGraphRow = (body: Record<string, unknown>) => {
  const id = String(body['id']);
  const sub = /\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? '';
  const rg = /\/resourcegroups\/([^/]+)/i.exec(id)?.[1]?.toLowerCase() ?? '';
  return {
    kind: '',
    managedBy: '',
    plan: {},
    sku: {},
    tags: {},
    ...body,
    type: String(body['type'] ?? armIdType(id)).toLowerCase(),
    subscriptionId: sub,
    resourceGroup: rg,
    tenantId: '00000000-0000-0000-0000-000000000000',
  };
};

describe('normalising Azure resources', () => {
  it.each(examples)('normalises $file', ({ body }) => {
    const result = normaliseArmResource(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.resource.key).toBe(String(body['id']).toLowerCase());
    expect(result.resource.type).toMatch(/^microsoft\.[a-z]+(\/[a-z0-9]+)+$/i);
    expect(result.resource.provider).toBe('azure');
  });

  it.each(examples)('gives an ARM GET body and the Resource Graph row of $file the same configuration', ({ body }) => {
    const arm = normaliseArmResource(body);
    const row = normaliseArmResource(asResourceGraphRow(body));
    if (!arm.ok || !row.ok) throw new Error('both shapes must normalise');
    expect(contentHash(configurationOf(row.resource))).toBe(contentHash(configurationOf(arm.resource)));
  });

  it('derives the type of child GETs that carry none from the id', () => {
    expect(armIdType('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg/securityRules/rule1')).toBe(
      'Microsoft.Network/networkSecurityGroups/securityRules',
    );
    expect(armIdType('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/s1/databases/db/transparentDataEncryption/current')).toBe(
      'Microsoft.Sql/servers/databases/transparentDataEncryption',
    );
    const rule = examples.find((e) => e.file.includes('securityRules'))!;
    const result = normaliseArmResource(rule.body);
    expect(result.ok && result.resource.type).toBe('microsoft.network/networksecuritygroups/securityrules');
  });

  it('compares types and ids case-insensitively', () => {
    const aks = examples.find((e) => e.file.includes('ManagedClustersGet'))!;
    const result = normaliseArmResource(aks.body);
    expect(result.ok && result.resource.type).toBe('microsoft.containerservice/managedclusters');
  });

  it.each([
    ['not an object', [1, 2], /not a JSON object/],
    ['no id', { name: 'x', type: 'Microsoft.Web/sites' }, /missing or invalid "id"/],
    ['an id that is not an ARM id', { id: 'web1', type: 'Microsoft.Web/sites' }, /missing or invalid "id"/],
    ['properties that are not an object', { id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/a', properties: 'on' }, /"properties" .* not an object/],
    ['tags that are not strings', { id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/a', tags: { env: 1 } }, /"tags" .* strings/],
    ['a location that is not a string', { id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/a', location: 5 }, /"location" .* string/],
    [
      'oversize properties',
      { id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/a', properties: { blob: 'x'.repeat(MAX_RESOURCE_BYTES) } },
      /bytes; the limit is/,
    ],
  ])('refuses %s with a reason', (_what, raw, reason) => {
    const result = normaliseArmResource(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('text that cannot be stored', () => {
  const base = { id: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app', type: 'Microsoft.Web/sites', name: 'app' };
  it.each([
    ['a NUL in a tag', { ...base, tags: { owner: 'a\u0000b' } }, '$.tags.owner holds a NUL character'],
    ['a lone high surrogate in a property', { ...base, properties: { note: 'x\ud800' } }, '$.properties.note holds an unpaired UTF-16 surrogate'],
    ['a lone low surrogate in a property name', { ...base, properties: { ['k\udc00']: 1 } }, 'a property name under $.properties holds an unpaired UTF-16 surrogate'],
    ['a NUL deep in an array', { ...base, properties: { rules: [{ name: 'ok' }, { name: '\u0000' }] } }, '$.properties.rules[1].name holds a NUL character'],
  ])('refuses %s, saying where', (_label, body, reason) => {
    expect(normaliseArmResource(body)).toEqual({ ok: false, reason: `${reason}, which cannot be stored` });
    expect(normaliseArmResource(body, JSON.stringify(body))).toEqual({ ok: false, reason: `${reason}, which cannot be stored` });
  });
  it('keeps emoji and other paired surrogates, escaped or not, and a literal backslash-u text', () => {
    const body = { ...base, tags: { mood: '😀', escaped: 'é', literal: '\\u0000 is how JSON writes NUL' } };
    expect(normaliseArmResource(body).ok).toBe(true);
    expect(normaliseArmResource(body, '{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app","tags":{"mood":"\\ud83d\\ude00"}}').ok).toBe(true);
  });
  it('refuses a body nesting deeper than any resource, without overflowing the stack', () => {
    let deep: unknown = { leaf: true };
    for (let i = 0; i < 10_000; i++) deep = { nested: deep };
    expect(normaliseArmResource({ ...base, properties: deep })).toEqual({ ok: false, reason: 'nests deeper than 64 levels' });
  });
  it('makes refused ids storable for the record', () => {
    expect(storableText('/subscriptions/s\u0000/x\ud800')).toBe('/subscriptions/s\ufffd/x\ufffd');
    expect(storableText('😀 fine')).toBe('😀 fine');
  });
});
