export * from './webhook-receiver';
export * from './compose';
