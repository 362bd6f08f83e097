export * from './events';
export * from './tenant';
export * from './decider';
export * from './onboard-tenant/onboard-tenant';
export * from './suspend-tenant/suspend-tenant';
export * from './read-models/tenant-directory';
