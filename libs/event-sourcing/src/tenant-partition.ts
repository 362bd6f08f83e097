// Which of `count` partitions a tenant belongs to: what lets several workers share a process
// manager while each tenant's events stay in order, handled by one worker at a time. The SQL
// stores compute the same number on the server (see TENANT_PARTITION_SQL in @rampart/event-store):
// the first four bytes of the SHA-256 of the tenant id's UTF-8 bytes, read as an unsigned
// big-endian integer, modulo the count. SHA-256 because PostgreSQL and PGlite have it built in
// (FIPS builds too) and Node computes it without a dependency; stable across versions of both.
import { createHash } from 'node:crypto';

/** At most this many partitions: a lease and a checkpoint each, read by its own loop. */
export const MAX_TENANT_PARTITIONS = 256;

export interface TenantPartition {
  /** 0-based, below `count`. */
  readonly index: number;
  readonly count: number;
}

/** The number a tenant's partition is taken from (modulo the count); stores may keep it beside each event. */
export const tenantHashOf = (tenantId: string): number => createHash('sha256').update(tenantId, 'utf8').digest().readUInt32BE(0);

export const tenantPartitionOf = (tenantId: string, count: number): number => {
  assertPartitionCount(count);
  return tenantHashOf(tenantId) % count;
};

export const assertPartitionCount = (count: number): void => {
  if (!Number.isInteger(count) || count < 1 || count > MAX_TENANT_PARTITIONS) {
    throw new RangeError(`a partition count is an integer from 1 to ${MAX_TENANT_PARTITIONS}, not ${count}`);
  }
};

export const assertTenantPartition = ({ index, count }: TenantPartition): void => {
  assertPartitionCount(count);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`partition ${index} is not one of 0..${count - 1}`);
};
