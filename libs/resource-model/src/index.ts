export * from './arm-id';
