export * from './events';
export * from './library-events';
export * from './attestation-events';
export * from './rollout-events';
