// Tenancy's events live in its published contract (@rampart/tenancy-contract), the one place other
// contexts may import them from; re-exported here so tenancy's own code and its callers read them as before.
export * from '@rampart/tenancy-contract';
