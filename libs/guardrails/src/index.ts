export * from './aliases/alias-table';
export type { PolicyResource } from './rule-engine/resource';
export type { ConditionTrace } from './rule-engine/conditions';
export type { OperatorName } from './rule-engine/operators';
export type { ResourceGroupInfo, SubscriptionInfo } from './rule-engine/expressions';
export type { Refusal, RefusalReason, EvaluationErrorReason } from './rule-engine/errors';
export * from './rule-engine/policy';
export * from './rule-engine/explain';
