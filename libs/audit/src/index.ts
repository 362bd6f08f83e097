export * from './formats';
export * from './manifest';
export * from './verify';
export * from './trail';
export * from './intents';
