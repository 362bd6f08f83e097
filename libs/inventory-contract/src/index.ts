export * from './events';
export * from './configuration';
export * from './collection';
