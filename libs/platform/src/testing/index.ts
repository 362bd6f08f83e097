export * from './webhook-receiver';
export * from './tenants';
