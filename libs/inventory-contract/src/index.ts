export * from './events';
export * from './configuration';
