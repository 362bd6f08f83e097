export * from './runtime';
export * from './api.module';
export * from './start-api';
