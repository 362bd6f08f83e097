export * from './events';
export * from './resource/resource';
export * from './resource/content';
export * from './resource/resource-decider';
export * from './resource/scope';
export * from './ingestion/ingestion-run';
export * from './read-models/resource-inventory';
export * from './read-models/ingestion-runs';
