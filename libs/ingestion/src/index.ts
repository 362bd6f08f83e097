export * from './file-source';
export * from './ingest';
