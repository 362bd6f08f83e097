export * from './tenant-standing';
export * from './projections';
