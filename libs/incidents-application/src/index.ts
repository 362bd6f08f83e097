export * from './projections';
export * from './incident-reactor';
export * from './action-executor';
export * from './action-runner';
