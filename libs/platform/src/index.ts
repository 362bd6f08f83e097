// The composition root: which read models a deployment keeps, and the worker that runs every
// context's reactions. Contexts own their use cases and reactions; this library only wires them.
export * from './projections';
export * from './worker';
export * from './inline-worker';
export * from './history';
export * from './audit-catalog';
export * from './library-what-if';
export * from './coverage';
export * from './answer-cache';
export * from './rollouts';
export * from './azure-agreement';
