export * from './serve';
export * from './demo';
export * from './version';
