export * from './projections';
export * from './raise-signal';
export * from './incident-policy';
export * from './incident-commands';
export * from './incident-reactor';
export * from './action-executor';
export * from './action-runner';
