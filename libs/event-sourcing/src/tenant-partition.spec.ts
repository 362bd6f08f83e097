import { MAX_TENANT_PARTITIONS, tenantPartitionOf } from './tenant-partition';

describe('tenant partitions', () => {
  it('are stable: the first 4 bytes of the SHA-256 of the tenant id, modulo the count', () => {
    // Pinned values: the SQL stores compute the same on the server, and checkpoints are kept per
    // partition, so changing the function would hand tenants to other partitions' checkpoints.
    expect(tenantPartitionOf('contoso-bank', 8)).toBe(41804098 % 8);
    expect(tenantPartitionOf('ÿé日本', 1000 % MAX_TENANT_PARTITIONS)).toBe(1998708445 % (1000 % MAX_TENANT_PARTITIONS));
    expect(tenantPartitionOf('anything', 1)).toBe(0);
  });

  it('spread a fleet of tenants over every partition', () => {
    const counts = Array.from({ length: 8 }, () => 0);
    for (let i = 0; i < 1_000; i++) counts[tenantPartitionOf(`tenant-${i}`, 8)]++;
    expect(Math.min(...counts)).toBeGreaterThan(90); // 125 each on average
  });

  it('refuses a count that is not 1 to the maximum', () => {
    for (const bad of [0, -1, 1.5, MAX_TENANT_PARTITIONS + 1, Number.NaN]) expect(() => tenantPartitionOf('a', bad)).toThrow(RangeError);
  });
});
