export * from './file-source';
export * from './ingest';
export * from './resource-graph-ingest';
export * from './intents';
export * from './projections';
export * from './present-resources';
export * from './abandoned-runs';
export * from './ingestion-scheduler';
