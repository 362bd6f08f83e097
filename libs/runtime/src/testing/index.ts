export * from './webhook-receiver';
