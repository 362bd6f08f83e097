// Parameter values as people hand them over: `{ "effect": "Deny" }`, the assignment/ARM form
// `{ "effect": { "value": "Deny" } }`, or a whole ARM parameter file (`$schema`, `parameters`).

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type ParameterValuesResult = { readonly ok: true; readonly values: Record<string, unknown> } | { readonly ok: false; readonly reason: string };

export const parameterValuesOf = (raw: unknown): ParameterValuesResult => {
  if (!isObject(raw)) return { ok: false, reason: 'must be a JSON object of parameter values, e.g. {"effect": "Deny"}' };
  // An ARM parameter file ({ "$schema", "contentVersion", "parameters": { … } }) holds them one level down.
  const values = '$schema' in raw && isObject(raw['parameters']) ? raw['parameters'] : raw;
  const wrapped = Object.values(values).every((v) => isObject(v) && Object.keys(v).length === 1 && 'value' in v);
  return { ok: true, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, wrapped ? (v as { value: unknown }).value : v])) };
};
