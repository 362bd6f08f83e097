// Playbooks are declarative, versioned files (libs/incidents/playbooks/*.json): which finding or
// alert kinds they answer, and which actions to propose in each phase. They are validated when
// loaded; a playbook that names an unknown action or parameter is refused with every reason.
import enableEncryption from '../../playbooks/enable-encryption.json';
import hardenConfiguration from '../../playbooks/harden-configuration.json';
import hardenTransport from '../../playbooks/harden-transport.json';
import isolateWorkload from '../../playbooks/isolate-workload.json';
import removePrivilegedAssignment from '../../playbooks/remove-privileged-assignment.json';
import restrictPublicApi from '../../playbooks/restrict-public-api.json';
import restrictPublicNetwork from '../../playbooks/restrict-public-network.json';
import revokeCredentials from '../../playbooks/revoke-credentials.json';
import rotateSecret from '../../playbooks/rotate-secret.json';
import { actionKind } from '../actions/action';
import type { Phase } from '../events';

export interface PlaybookStep {
  readonly action: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly why: string | null;
}

export interface Playbook {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly description: string;
  readonly triggers: { readonly guardrails: readonly string[]; readonly alertTypes: readonly string[] };
  readonly phases: Readonly<Record<Phase, readonly PlaybookStep[]>>;
}

export const PHASES: readonly Phase[] = ['respond', 'remediate', 'recover'];

/** Values a step parameter may take from the incident: `{{name}}` is replaced when actions are proposed. */
export const PLACEHOLDERS = ['guardrailId', 'resourceId', 'incidentId', 'principalId', 'privateEndpointSubnetId'] as const;
export type PlaybookContext = Partial<Record<(typeof PLACEHOLDERS)[number], string>>;

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const PLACEHOLDER = /\{\{([a-zA-Z]+)\}\}/g;
/** A Defender alertType (VM_EICAR), a Sentinel rule id, or a prefix of them ending in `*` (K8S_*). */
const ALERT_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*\*?$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

export const parsePlaybook = (raw: unknown): { ok: true; playbook: Playbook } | { ok: false; errors: string[] } => {
  const errors: string[] = [];
  if (!isObject(raw)) return { ok: false, errors: ['a playbook is a JSON object'] };
  const id = raw['id'];
  if (typeof id !== 'string' || !ID.test(id)) errors.push('id: lowercase letters, digits and dashes');
  if (typeof raw['version'] !== 'string' || !SEMVER.test(raw['version'])) errors.push('version: major.minor.patch');
  if (typeof raw['title'] !== 'string' || !raw['title'].trim()) errors.push('title: required');
  const triggers = raw['triggers'];
  if (!isObject(triggers) || !strings(triggers['guardrails'] ?? []) || !strings(triggers['alertTypes'] ?? [])) {
    errors.push('triggers: { guardrails: string[], alertTypes: string[] }');
  } else {
    for (const pattern of (triggers['alertTypes'] ?? []) as string[]) {
      if (!ALERT_TYPE_PATTERN.test(pattern)) errors.push(`triggers.alertTypes: "${pattern}" is not an alert type (letters, digits, . _ - and one trailing * for a prefix)`);
    }
  }
  const phases = raw['phases'];
  const parsed: Record<Phase, PlaybookStep[]> = { respond: [], remediate: [], recover: [] };
  if (!isObject(phases)) errors.push('phases: { respond, remediate, recover }');
  else {
    for (const key of Object.keys(phases)) if (!PHASES.includes(key as Phase)) errors.push(`phases.${key}: unknown phase (respond, remediate, recover)`);
    for (const phase of PHASES) {
      const steps = phases[phase] ?? [];
      if (!Array.isArray(steps)) {
        errors.push(`phases.${phase}: a list of steps`);
        continue;
      }
      steps.forEach((step, i) => {
        const where = `phases.${phase}[${i}]`;
        if (!isObject(step) || typeof step['action'] !== 'string') return errors.push(`${where}: { action, parameters?, why? }`);
        const kind = actionKind(step['action']);
        if (!kind) return errors.push(`${where}: unknown action ${step['action']}`);
        const parameters = step['parameters'] ?? {};
        if (!isObject(parameters) || !Object.values(parameters).every((v) => typeof v === 'string')) return errors.push(`${where}.parameters: strings by name`);
        for (const [name, value] of Object.entries(parameters as Record<string, string>)) {
          if (!(name in kind.parameters)) errors.push(`${where}.parameters.${name}: ${kind.id} takes ${Object.keys(kind.parameters).join(', ') || 'no parameters'}`);
          for (const match of value.matchAll(PLACEHOLDER)) {
            if (!(PLACEHOLDERS as readonly string[]).includes(match[1])) errors.push(`${where}.parameters.${name}: unknown placeholder {{${match[1]}}}`);
          }
        }
        parsed[phase].push({ action: kind.id, parameters: parameters as Record<string, string>, why: typeof step['why'] === 'string' ? step['why'] : null });
      });
    }
  }
  if (errors.length) return { ok: false, errors };
  const t = triggers as { guardrails?: string[]; alertTypes?: string[] };
  return {
    ok: true,
    playbook: {
      id: id as string,
      version: raw['version'] as string,
      title: (raw['title'] as string).trim(),
      description: typeof raw['description'] === 'string' ? raw['description'] : '',
      triggers: { guardrails: t.guardrails ?? [], alertTypes: t.alertTypes ?? [] },
      phases: parsed,
    },
  };
};

const SHIPPED = [restrictPublicApi, restrictPublicNetwork, isolateWorkload, rotateSecret, hardenTransport, enableEncryption, hardenConfiguration, revokeCredentials, removePrivilegedAssignment];

let shipped: ReadonlyMap<string, Playbook> | undefined;

/** The playbooks shipped with Rampart, validated once; an invalid one is a bug in this repository. */
export const shippedPlaybooks = (): ReadonlyMap<string, Playbook> => {
  if (!shipped) {
    const byId = new Map<string, Playbook>();
    for (const raw of SHIPPED) {
      const result = parsePlaybook(raw);
      if (!result.ok) throw new Error(`shipped playbook ${(raw as { id?: string }).id} is invalid: ${result.errors.join('; ')}`);
      byId.set(result.playbook.id, result.playbook);
    }
    shipped = byId;
  }
  return shipped;
};

export interface ProposedStep {
  readonly phase: Phase;
  readonly actionKind: string;
  readonly parameters: Record<string, string>;
  readonly why: string | null;
}

/** The steps of one phase with placeholders filled from the incident; unknown values stay empty. */
export const stepsFor = (playbook: Playbook, phase: Phase, context: PlaybookContext): ProposedStep[] =>
  playbook.phases[phase].map((step) => ({
    phase,
    actionKind: step.action,
    why: step.why,
    parameters: Object.fromEntries(
      Object.entries(step.parameters).map(([name, value]) => [name, value.replace(PLACEHOLDER, (_, key: string) => context[key as keyof PlaybookContext] ?? '')]),
    ),
  }));

/**
 * The playbook answering an external alert's detection type: an exact entry (case-insensitive)
 * wins over a prefix; among prefixes the longest wins, so `VM_Malware*` can refine `VM_*`.
 */
export const playbookForAlertType = (playbooks: ReadonlyMap<string, Playbook>, alertType: string): Playbook | undefined => {
  const wanted = alertType.toLowerCase();
  let best: { playbook: Playbook; score: number } | undefined;
  for (const playbook of playbooks.values()) {
    for (const pattern of playbook.triggers.alertTypes) {
      const p = pattern.toLowerCase();
      const score = p.endsWith('*') ? (wanted.startsWith(p.slice(0, -1)) ? p.length - 1 : -1) : p === wanted ? Number.MAX_SAFE_INTEGER : -1;
      if (score >= 0 && (!best || score > best.score)) best = { playbook, score };
    }
  }
  return best?.playbook;
};
