export * from './events';
export * from './library-events';
