export * from './events';
export * from './group-events';
