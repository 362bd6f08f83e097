export * from './synthetic-tenant';
export * from './seed';
