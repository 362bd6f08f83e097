// What the rule engine evaluates: a resource as an ARM GET body or a Resource Graph row returns it
// (id, name, type, location, tags, kind, sku, identity, properties, ...). Types and keys are compared
// case-insensitively: Resource Graph lowercases types and ARM bodies are not consistent in casing.
import { armIdNames, armIdScope } from '@rampart/resource-model';

export interface PolicyResource {
  readonly id?: string;
  readonly name: string;
  /** e.g. Microsoft.Network/networkSecurityGroups/securityRules (any casing). */
  readonly type: string;
  readonly location?: string;
  readonly kind?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly sku?: unknown;
  readonly identity?: unknown;
  readonly managedBy?: string;
  readonly plan?: unknown;
  readonly zones?: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Any other top-level field of the ARM body (etag, systemData, extendedLocation, ...). */
  readonly [field: string]: unknown;
}

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON property by name, exact spelling first, then ignoring case (ARM keys are case-insensitive). */
export const getKey = (value: unknown, key: string): unknown => {
  if (!isObject(value)) return undefined;
  if (Object.hasOwn(value, key)) return value[key];
  // A miss is the common case for optional fields: lengths first, then the two spellings compared
  // in place (sameIgnoringCase), so a miss lowercases nothing and allocates nothing.
  for (const k in value) if (k.length === key.length && sameIgnoringCase(k, key) && Object.hasOwn(value, k)) return value[k];
  return undefined;
};

/**
 * `a.toLowerCase() === b.toLowerCase()` for strings of equal length, without the copies: ASCII
 * letters are folded code unit by code unit; a text with any other unit above ASCII is lowercased
 * as before (its lowercase may differ in length or fold differently).
 */
const sameIgnoringCase = (a: string, b: string): boolean => {
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) {
      if (x < 128) continue;
      return a.toLowerCase() === b.toLowerCase();
    }
    if (x >= 128 || y >= 128) return a.toLowerCase() === b.toLowerCase();
    // Different ASCII units are the same letter only as an upper- and lowercase pair.
    if ((x | 32) !== (y | 32) || (x | 32) < 97 || (x | 32) > 122) return false;
  }
  return true;
};

/** `East US 2` and `eastus2` are the same location for Azure Policy. */
export const normaliseLocation = (location: string) => location.replace(/\s+/g, '').toLowerCase();

/** Resource names from an ARM id: `/subscriptions/s/resourceGroups/r/providers/NS/t1/n1/t2/n2` -> [n1, n2]. */
const namesFromId = (id: string | undefined): string[] | undefined => (id ? armIdNames(id) : undefined);

/** The `name` field: the resource's own name (the last segment of a child's `parent/child` name). */
export const resourceName = (resource: PolicyResource): string | undefined => {
  const name = typeof resource.name === 'string' && resource.name ? resource.name : namesFromId(resource.id)?.at(-1);
  return name?.split('/').at(-1);
};

/** The `fullName` field: parent names and the name, e.g. `myServer/myDatabase`. */
export const resourceFullName = (resource: PolicyResource): string | undefined => {
  const names = namesFromId(resource.id);
  if (names?.length) return names.join('/');
  return typeof resource.name === 'string' ? resource.name : undefined;
};

/** Resource group and subscription of a resource, from its Resource Graph columns or its id. */
export const resourceScope = (resource: PolicyResource): { subscriptionId?: string; resourceGroup?: string } => {
  const fromId = armIdScope(resource.id ?? '');
  const column = (name: string) => (typeof resource[name] === 'string' && resource[name] ? (resource[name] as string) : undefined);
  return { subscriptionId: column('subscriptionId') ?? fromId.subscriptionId, resourceGroup: column('resourceGroup') ?? fromId.resourceGroup };
};
