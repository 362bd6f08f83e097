export * from './principal';
export * from './authorization';
export * from './api-key-secret';
