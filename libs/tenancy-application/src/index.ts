export * from './tenant-standing';
export * from './projections';
export * from './api-keys';
export * from './tenant-groups';
