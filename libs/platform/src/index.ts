export * from './config';
export * from './logger';
export * from './stores';
export * from './projections';
export * from './metrics';
export * from './worker';
export * from './leases';
export * from './ingestion-scheduler';
