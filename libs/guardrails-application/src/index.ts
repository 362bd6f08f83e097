export * from './projections';
export * from './guardrail-evaluator';
export * from './finding-notifier';
export * from './compliance-score';
export * from './standard-compliance';
export * from './tenant-guardrails';
export * from './reporting-choice';
export * from './policy-library';
