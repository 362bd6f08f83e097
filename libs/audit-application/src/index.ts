export * from './audit-keys';
export * from './audit-export';
export * from './audit-jobs';
