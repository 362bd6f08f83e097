export * from './file-source';
export * from './ingest';
export * from './resource-graph-ingest';
export * from './intents';
