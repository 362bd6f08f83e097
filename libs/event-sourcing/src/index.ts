export * from './envelope';
export * from './event-store';
export * from './validation';
export * from './upcasting';
export * from './decider';
export * from './command-handling';
export * from './subscription';
export * from './testing/given-when-then';
