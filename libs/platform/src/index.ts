export * from './config';
export * from './logger';
export * from './stores';
export * from './projections';
export * from './metrics';
export * from './worker';
