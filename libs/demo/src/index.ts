export * from './synthetic-tenant';
