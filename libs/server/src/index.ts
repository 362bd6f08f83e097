export * from './serve';
export * from './version';
