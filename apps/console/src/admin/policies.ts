// What the guardrails-and-policies page computes before it calls the API, pure: a standard's
// parameters as form fields and the values that differ from their defaults, assignment ids and
// scopes as the domain accepts them, SLA targets in words and the checks the domain will make
// (shown early; the API still decides), and the incident policy change that sends only what changed.
import type { IncidentPolicy, SlaTargets } from '../api/operations';
import { SEVERITY_ORDER } from '../format';

/** One parameter of a standard's initiative, as the assignment form shows it. */
export interface InitiativeParameterField {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly defaultValue: unknown;
  readonly allowedValues?: readonly unknown[];
}

/** The initiative's parameters (standard.parametersJson) in a stable order: effects last, since there are many. */
export const initiativeParameterFields = (parametersJson: string): InitiativeParameterField[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(parametersJson);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  const fields = Object.entries(parsed as Record<string, Record<string, unknown>>).map(([name, p]) => ({
    name,
    label: typeof p?.['displayName'] === 'string' && p['displayName'] ? (p['displayName'] as string) : name,
    type: typeof p?.['type'] === 'string' ? (p['type'] as string) : 'String',
    defaultValue: p?.['defaultValue'],
    ...(Array.isArray(p?.['allowedValues']) ? { allowedValues: p['allowedValues'] as unknown[] } : {}),
  }));
  return inFormOrder(fields);
};

const isEffect = (f: InitiativeParameterField) => /^effect/i.test(f.name);
const inFormOrder = (fields: InitiativeParameterField[]): InitiativeParameterField[] =>
  fields.sort((a, b) => Number(isEffect(a)) - Number(isEffect(b)) || a.label.localeCompare(b.label));

/** The type of a parameter known by its name only: any JSON value, or text. */
export const ANY_TYPE = 'Any';

/**
 * A library initiative's parameters as the baselines query names them (baseline.parameters): their
 * types and defaults are the initiative's own, so each takes any value and none is filled in.
 */
export const namedParameterFields = (names: readonly string[]): InitiativeParameterField[] =>
  inFormOrder(names.map((name) => ({ name, label: name, type: ANY_TYPE, defaultValue: undefined })));

const fieldOf = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value).find(([k]) => k.toLowerCase() === key)?.[1] : undefined;

/**
 * A library initiative's parameter names as imported (its `properties.parameters`, any case), for
 * one the baselines query does not list: a tenant's own. Unreadable content names none.
 */
export const initiativeParameterNames = (content: string): string[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return [];
  }
  const parameters = fieldOf(fieldOf(parsed, 'properties'), 'parameters');
  return typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters) ? Object.keys(parameters) : [];
};

/** A value typed for a parameter of unknown type: a JSON number, boolean, array or object as such, anything else as the text. */
export const looseValue = (text: string): unknown => {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'number' || typeof parsed === 'boolean' || (typeof parsed === 'object' && parsed !== null) ? parsed : text;
  } catch {
    return text;
  }
};

/** A parameter's value as a form field holds it (text), and back. Objects and arrays are JSON. */
export const fieldText = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

export const fieldValue = (field: InitiativeParameterField, text: string): { ok: true; value: unknown } | { ok: false; message: string } => {
  switch (field.type.toLowerCase()) {
    case 'string':
      return { ok: true, value: text };
    case 'integer': {
      const n = Number(text);
      return Number.isInteger(n) && text.trim() !== '' ? { ok: true, value: n } : { ok: false, message: `${field.label}: a whole number` };
    }
    case 'float': {
      const n = Number(text);
      return Number.isFinite(n) && text.trim() !== '' ? { ok: true, value: n } : { ok: false, message: `${field.label}: a number` };
    }
    case 'boolean':
      return text === 'true' || text === 'false' ? { ok: true, value: text === 'true' } : { ok: false, message: `${field.label}: true or false` };
    case 'any':
      return { ok: true, value: looseValue(text) };
    default:
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: false, message: `${field.label}: JSON (${field.type.toLowerCase()})` };
      }
  }
};

/** Whether a value of the form is one to record: changed from the default or, where none is known, filled in. */
export const isSetValue = (field: InitiativeParameterField, text: string | undefined): text is string =>
  text !== undefined && text !== fieldText(field.defaultValue) && !(field.defaultValue === undefined && !text.trim());

/**
 * initiativeParametersJson for an assignment: only the values a person set (isSetValue: so a later
 * change of Azure's default still reaches the assignment), or the first value that cannot be read.
 */
export const changedParameters = (
  fields: readonly InitiativeParameterField[],
  edited: Readonly<Record<string, string>>,
): { ok: true; values: Record<string, unknown> } | { ok: false; message: string } => {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const text = edited[field.name];
    if (!isSetValue(field, text)) continue;
    const read = fieldValue(field, text);
    if (!read.ok) return read;
    values[field.name] = read.value;
  }
  return { ok: true, values };
};

/** Mirrors libs/guardrails: `*`, a subscription or a resource group (case does not matter). */
export const ASSIGNMENT_SCOPE = /^(\*|\/subscriptions\/[^/\s]+(\/resourcegroups\/[^/\s]+)?)$/i;
/** Mirrors libs/guardrails: a tenant's assignment ids take up to 63 characters (a tenant group's, 28). */
export const ASSIGNMENT_ID_LENGTH = 63;

export const isAssignmentScope = (scope: string): boolean => ASSIGNMENT_SCOPE.test(scope.trim());

/**
 * An assignment id the domain accepts, unique among the tenant's (or the group's): the baseline's id
 * (dots as dashes, as the demo and Defender name them), with the subscription or resource group it
 * is scoped to, numbered when taken; room is left for the number within `maxLength`.
 */
export const assignmentIdFor = (baselineId: string, scope: string, taken: readonly string[], maxLength = ASSIGNMENT_ID_LENGTH): string => {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const parts = scope.trim() === '*' ? [] : scope.split('/').filter(Boolean);
  const where = parts.length >= 4 ? parts[3] : parts.length >= 2 ? parts[1].slice(0, 8) : '';
  const base = [slug(baselineId), slug(where)].filter(Boolean).join('-').slice(0, maxLength - 7).replace(/-+$/, '') || 'assignment';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.includes(candidate)) return candidate;
  }
};

export const isAssignmentId = (id: string, maxLength = ASSIGNMENT_ID_LENGTH): boolean => new RegExp(`^[a-z0-9][a-z0-9-]{0,${maxLength - 1}}$`).test(id);

const keysOf = (json: string): string[] => {
  try {
    const parsed = JSON.parse(json) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed).sort() : [];
  } catch {
    return [];
  }
};

/**
 * What an assignment sets: values of its initiative's parameters (a standard or a library
 * initiative, `initiativeParameters`) and values per guardrail (`parameters`), each by name.
 */
export const parameterSummary = (parametersJson: string, initiativeParametersJson = '{}'): { guardrails: string[]; initiative: string[]; text: string } => {
  const guardrails = keysOf(parametersJson);
  const initiative = keysOf(initiativeParametersJson);
  const parts = [
    initiative.length ? `${initiative.length} initiative parameter${initiative.length === 1 ? '' : 's'}` : '',
    guardrails.length ? `${guardrails.length} guardrail${guardrails.length === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return { guardrails, initiative, text: parts.length ? `Set for ${parts.join(' and ')}` : 'Defaults' };
};

/** Minutes in the words an SLA is spoken of: 90 → "1 h 30 min", 1440 → "1 day". */
export const minutesInWords = (minutes: number): string => {
  if (!Number.isFinite(minutes) || minutes <= 0) return '—';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = Math.round(minutes % 60);
  const parts = [days ? `${days} day${days === 1 ? '' : 's'}` : '', hours ? `${hours} h` : '', mins ? `${mins} min` : ''].filter(Boolean);
  return parts.join(' ');
};

/** Mirrors libs/incidents' bounds for SLA targets. */
export const MAX_SLA_MINUTES = 90 * 24 * 60;

/** What the domain would refuse in an SLA row, in words; none when it would accept it. */
export const slaProblems = (row: SlaTargets): string[] => {
  const values = [row.acknowledgeMinutes, row.containMinutes, row.resolveMinutes];
  if (!values.every((v) => Number.isInteger(v) && v >= 1 && v <= MAX_SLA_MINUTES)) return [`${row.severity}: targets are whole minutes from 1 to ${MAX_SLA_MINUTES} (90 days)`];
  if (!(row.acknowledgeMinutes <= row.containMinutes && row.containMinutes <= row.resolveMinutes)) return [`${row.severity}: acknowledge, contain and resolve must come in that order`];
  return [];
};

/** SLA rows in severity order, whatever order the API listed them in. */
export const slaRows = (sla: readonly SlaTargets[]): SlaTargets[] =>
  [...sla].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity as (typeof SEVERITY_ORDER)[number]) - SEVERITY_ORDER.indexOf(b.severity as (typeof SEVERITY_ORDER)[number]));

export interface IncidentPolicyEdit {
  readonly findingSeverities: readonly string[];
  readonly correlationWindowMinutes: number;
  readonly approvalExpiryMinutes: number;
  readonly preApprovedActions: readonly string[];
  readonly sla: readonly SlaTargets[];
}

/** Mirrors libs/incidents' bounds: whole minutes within them, or what is wrong in words. */
export const POLICY_BOUNDS = {
  correlationWindowMinutes: { min: 5, max: 7 * 24 * 60, words: 'The correlation window is whole minutes from 5 to 10080 (a week).' },
  approvalExpiryMinutes: { min: 5, max: 30 * 24 * 60, words: 'A proposal waits whole minutes from 5 to 43200 (30 days) for approval.' },
} as const;

export const boundProblem = (key: keyof typeof POLICY_BOUNDS, value: number): string | undefined => {
  const b = POLICY_BOUNDS[key];
  return Number.isInteger(value) && value >= b.min && value <= b.max ? undefined : b.words;
};

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The setIncidentPolicy input for an edit: only the fields that changed (what is left out stays as
 * it is, so two people editing different parts do not undo each other), or undefined when nothing did.
 */
export const incidentPolicyInput = (tenantId: string, current: IncidentPolicy, edit: IncidentPolicyEdit): Record<string, unknown> | undefined => {
  const input: Record<string, unknown> = {};
  // A policy that still follows the default or the deprecated reporting policy names its own only when asked.
  if (!sameSet(current.findingSeverities, edit.findingSeverities)) input['findingSeverities'] = [...edit.findingSeverities];
  if (current.correlationWindowMinutes !== edit.correlationWindowMinutes) input['correlationWindowMinutes'] = edit.correlationWindowMinutes;
  if (current.approvalExpiryMinutes !== edit.approvalExpiryMinutes) input['approvalExpiryMinutes'] = edit.approvalExpiryMinutes;
  if (!sameSet(current.preApprovedActions, edit.preApprovedActions)) input['preApprovedActions'] = [...edit.preApprovedActions];
  const changedSla = edit.sla.filter((row) => {
    const was = current.sla.find((s) => s.severity === row.severity);
    return !was || was.acknowledgeMinutes !== row.acknowledgeMinutes || was.containMinutes !== row.containMinutes || was.resolveMinutes !== row.resolveMinutes;
  });
  if (changedSla.length) input['sla'] = changedSla.map((row) => ({ severity: row.severity, acknowledgeMinutes: row.acknowledgeMinutes, containMinutes: row.containMinutes, resolveMinutes: row.resolveMinutes }));
  return Object.keys(input).length ? { tenantId, ...input } : undefined;
};
