// Name-based (version 5) UUIDs, RFC 9562 §5.5: the same export id and name give the same UUID, so
// an export made twice from the same events is byte-identical. `uuid` is not a dependency of the
// workspace and the algorithm is one SHA-1 over namespace + name.
import { createHash } from 'node:crypto';

/** RFC 9562 namespace for URLs/URIs. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

const HEX_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidV5 = (name: string, namespace: string): string => {
  if (!HEX_UUID.test(namespace)) throw new Error(`"${namespace}" is not a UUID`);
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** UUIDs scoped to one export: `idFor('finding:mcsb-im-1')` is stable for that export id and differs for any other. */
export const exportUuids = (exportId: string): ((name: string) => string) => {
  const namespace = uuidV5(`urn:rampart:audit-export:${exportId}`, URL_NAMESPACE);
  return (name) => uuidV5(name, namespace);
};
