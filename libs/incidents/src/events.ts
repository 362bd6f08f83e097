// The incidents context's events (incidents, response actions, a tenant's incident policy) live in its
// published contract (@rampart/incidents-contract), the one place other contexts may import them from;
// re-exported here so the context's own code and its callers read them as before.
export * from '@rampart/incidents-contract';
