// The provider-neutral resource snapshot and how Azure shapes map to it. An ARM GET body and a
// Resource Graph row of the same resource normalise to the same snapshot (ARG lowercases types,
// adds subscriptionId/resourceGroup columns and fills absent columns with "" or {}).
import { nestsDeeperThan, unstorableTextInJson } from '@rampart/event-sourcing';
import { armIdScope, armIdType } from '@rampart/resource-model';

export type Provider = 'azure' | 'aws' | 'gcp' | 'onprem' | 'other';

export interface ResourceSnapshot {
  /** As the provider spells it (ARM ids keep their casing for display). */
  readonly id: string;
  /** Identity for comparisons and streams: ARM ids are case-insensitive. */
  readonly key: string;
  readonly provider: Provider;
  /** e.g. Microsoft.Network/networkSecurityGroups/securityRules; compare case-insensitively. */
  readonly type: string;
  readonly name: string;
  readonly location?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly kind?: string;
  readonly sku?: unknown;
  readonly identity?: unknown;
  readonly managedBy?: string;
  readonly plan?: unknown;
  readonly zones?: readonly string[];
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export type Normalised = { readonly ok: true; readonly resource: ResourceSnapshot } | { readonly ok: false; readonly reason: string };

/** Properties bigger than this (serialised) are refused: one resource must not swamp a stream. */
export const MAX_RESOURCE_BYTES = 512 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (isObject(v) && Object.keys(v).length === 0);

/**
 * An ARM GET body or a Resource Graph row (or an array element of an ARM list) to a snapshot.
 * `json`: `raw`'s JSON text, when the caller read it as text (else it is serialised here), for its
 * size and a quick look for text that cannot be stored.
 */
/** Deeper than any Azure resource body (they rarely pass 15 levels), far below a stack's depth. */
export const MAX_RESOURCE_DEPTH = 64;

export const normaliseArmResource = (raw: unknown, json?: string): Normalised => {
  if (!isObject(raw)) return { ok: false, reason: 'not a JSON object' };
  if (nestsDeeperThan(raw, MAX_RESOURCE_DEPTH)) return { ok: false, reason: `nests deeper than ${MAX_RESOURCE_DEPTH} levels` };
  const id = raw['id'];
  if (typeof id !== 'string' || !id.startsWith('/')) return { ok: false, reason: 'missing or invalid "id" (an ARM resource id starting with "/")' };
  const type = typeof raw['type'] === 'string' && raw['type'] ? (raw['type'] as string) : armIdType(id);
  if (!type) return { ok: false, reason: `cannot tell the resource type of ${id}` };
  const name = typeof raw['name'] === 'string' && raw['name'] ? (raw['name'] as string) : id.split('/').filter(Boolean).pop();
  if (!name) return { ok: false, reason: `missing "name" for ${id}` };
  const properties = raw['properties'] ?? {};
  if (!isObject(properties)) return { ok: false, reason: `"properties" of ${id} is not an object` };
  const tags = raw['tags'] ?? {};
  if (!isObject(tags) || !Object.values(tags).every((v) => typeof v === 'string')) {
    return { ok: false, reason: `"tags" of ${id} must map names to strings` };
  }
  for (const field of ['location', 'kind', 'managedBy'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && typeof raw[field] !== 'string') {
      return { ok: false, reason: `"${field}" of ${id} must be a string` };
    }
  }
  const text = json ?? JSON.stringify(raw);
  if (text.length > MAX_RESOURCE_BYTES) return { ok: false, reason: `${id} is ${text.length} bytes; the limit is ${MAX_RESOURCE_BYTES}` };
  const unstorable = unstorableTextInJson(raw, text);
  if (unstorable) return { ok: false, reason: `${unstorable}, which cannot be stored` };

  const parts = armIdScope(id);
  const optional = <T>(value: unknown): T | undefined => (isEmpty(value) ? undefined : (value as T));
  const resource: ResourceSnapshot = {
    id,
    key: id.toLowerCase(),
    provider: 'azure',
    type: canonicalType(type),
    name,
    location: optional<string>(raw['location']),
    tags: tags as Record<string, string>,
    kind: optional<string>(raw['kind']),
    sku: optional(raw['sku']),
    identity: optional(raw['identity']),
    managedBy: optional<string>(raw['managedBy']),
    plan: optional(raw['plan']),
    zones: Array.isArray(raw['zones']) && raw['zones'].length ? (raw['zones'] as string[]) : undefined,
    subscriptionId: parts.subscriptionId ?? optional<string>(raw['subscriptionId']),
    resourceGroup: parts.resourceGroup ?? optional<string>(raw['resourceGroup']),
    properties,
  };
  return { ok: true, resource: dropUndefined(resource) };
};

/**
 * One spelling per type, whichever casing the source used: ARG lowercases types and some ARM
 * examples use odd casing (Microsoft.ContainerService/ManagedClusters). Types are compared
 * case-insensitively anyway; a canonical spelling keeps snapshots of one resource identical.
 */
export const canonicalType = (type: string): string => type.toLowerCase();

const dropUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
