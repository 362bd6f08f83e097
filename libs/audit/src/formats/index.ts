export * from './types';
export * from './ndjson';
export * from './csv';
export { summarize } from './summary';
export * from './ocsf';
export * from './oscal';
