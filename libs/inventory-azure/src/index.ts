export * from './resource-graph-source';
export * from './credentials';
