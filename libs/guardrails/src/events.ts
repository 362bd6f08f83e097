// The guardrails' events live in their published contract (@rampart/guardrails-contract), the one place
// other contexts may import them from; re-exported here so guardrails' own code and its callers read them as before.
export * from '@rampart/guardrails-contract';
