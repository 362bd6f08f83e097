export * from './replay-server';
export * from './arg-rows';
