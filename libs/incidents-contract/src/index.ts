export * from './events';
export * from './actions';
export * from './policy';
