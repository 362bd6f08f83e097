export * from './resource-graph-source';
export * from './credentials';
export * from './resource-changes';
export * from './policy-states';
