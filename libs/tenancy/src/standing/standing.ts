// A tenant's standing: which commands a tenant may take given its status, as one rule. Every
// context classifies its commands by intent (incidents, guardrails, ingestion, audit and tenancy
// each export a map); every edge and reaction asks this rule instead of deciding for itself.
import { reject, type CommandIntent, type Rejection, type StandingRefusalCode } from '@rampart/event-sourcing';
import type { ApiKeyCommand } from '../api-keys/api-key';
import type { TenancyCommand } from '../decider';
import type { Tenant, TenantStatus } from '../tenant';

/**
 * A tenant's status as the rule sees it: `unknown` when no tenant was onboarded under that id,
 * `provider` for the provider's own records (the reserved scope), which are read and exported like
 * a trail but take none of a tenant's commands.
 */
export type StandingStatus = TenantStatus | 'unknown' | 'provider';

export type Admission = 'admitted' | StandingRefusalCode;

/**
 * The rule. Rows are intents, columns statuses:
 *
 * | intent            | active   | suspended         | offboarded        | unknown           | provider          |
 * |-------------------|----------|-------------------|-------------------|-------------------|-------------------|
 * | `reads`           | admitted | admitted          | admitted          | tenant-not-found  | admitted          |
 * | `lifecycle`       | admitted | admitted          | tenant-offboarded | admitted          | tenant-not-found  |
 * | `wraps-up`        | admitted | admitted          | tenant-offboarded | tenant-not-found  | tenant-not-found  |
 * | `revokes-access`  | admitted | admitted          | admitted          | tenant-not-found  | tenant-not-found  |
 * | `starts-work`     | admitted | tenant-suspended  | tenant-offboarded | tenant-not-found  | tenant-not-found  |
 * | `changes-posture` | admitted | tenant-suspended  | tenant-offboarded | tenant-not-found  | tenant-not-found  |
 * | `collects`        | admitted | tenant-suspended  | tenant-offboarded | tenant-not-found  | tenant-not-found  |
 * | `grants-access`   | admitted | tenant-suspended  | tenant-offboarded | tenant-not-found  | tenant-not-found  |
 *
 * Why: a suspended tenant's SOC may still wrap up what is open (triage, comment, close, record an
 * action's outcome), but nothing new starts, nothing is collected from its cloud and nobody gains
 * access until it is reinstated. An offboarded tenant's record is closed: nothing changes it any
 * more, yet its auditors may still read and export it, and access that outlived the tenancy (an API
 * key) can always be revoked. Lifecycle commands are judged by the tenant's own decider (onboarding
 * is what makes an unknown tenant known), except that offboarding is final. The provider's scope is
 * no tenant: its records (the policy library) change through their own use cases, never a tenant's
 * command, and its trail is read and exported like any other.
 */
export const STANDING_RULE: { readonly [I in CommandIntent]: { readonly [S in StandingStatus]: Admission } } = {
  reads: { active: 'admitted', suspended: 'admitted', offboarded: 'admitted', unknown: 'tenant-not-found', provider: 'admitted' },
  lifecycle: { active: 'admitted', suspended: 'admitted', offboarded: 'tenant-offboarded', unknown: 'admitted', provider: 'tenant-not-found' },
  'wraps-up': { active: 'admitted', suspended: 'admitted', offboarded: 'tenant-offboarded', unknown: 'tenant-not-found', provider: 'tenant-not-found' },
  'revokes-access': { active: 'admitted', suspended: 'admitted', offboarded: 'admitted', unknown: 'tenant-not-found', provider: 'tenant-not-found' },
  'starts-work': { active: 'admitted', suspended: 'tenant-suspended', offboarded: 'tenant-offboarded', unknown: 'tenant-not-found', provider: 'tenant-not-found' },
  'changes-posture': { active: 'admitted', suspended: 'tenant-suspended', offboarded: 'tenant-offboarded', unknown: 'tenant-not-found', provider: 'tenant-not-found' },
  collects: { active: 'admitted', suspended: 'tenant-suspended', offboarded: 'tenant-offboarded', unknown: 'tenant-not-found', provider: 'tenant-not-found' },
  'grants-access': { active: 'admitted', suspended: 'tenant-suspended', offboarded: 'tenant-offboarded', unknown: 'tenant-not-found', provider: 'tenant-not-found' },
};

const WHAT: { readonly [I in CommandIntent]: string } = {
  reads: 'its record is not read',
  lifecycle: 'its lifecycle does not change',
  'wraps-up': 'its open work is not changed',
  'revokes-access': 'access to it is not revoked',
  'starts-work': 'no new work starts (no incident opens, no action is proposed, approved or executed, no alert is recorded)',
  'changes-posture': 'what it is held to does not change (baselines, standards, exemptions, reporting policy)',
  collects: 'its inventory is not collected',
  'grants-access': 'nobody is given access to it',
};

const WHY: { readonly [C in StandingRefusalCode]: (tenantId: string) => string } = {
  'tenant-not-found': (t) => `no tenant "${t}" was onboarded`,
  'tenant-suspended': (t) => `tenant "${t}" is suspended until it is reinstated`,
  'tenant-offboarded': (t) => `tenant "${t}" was offboarded: its record is closed`,
};

/** The rule for one tenant and one intent: nothing when admitted, otherwise the refusal with its code. */
export const standingOf = (tenantId: string, status: StandingStatus, intent: CommandIntent): Rejection<StandingRefusalCode> | undefined => {
  const admission = STANDING_RULE[intent][status];
  return admission === 'admitted' ? undefined : reject(admission, `${WHY[admission](tenantId)}; ${WHAT[intent]}`);
};

/** The status of a folded tenant stream, as the rule sees it (the provider's scope has no tenant stream: see tenantStatusNow). */
export const standingStatusOf = (tenant: Tenant): StandingStatus => (tenant.exists ? tenant.status : 'unknown');

/** Tenancy's own commands by intent. */
export const TENANCY_COMMAND_INTENTS: { readonly [K in TenancyCommand['kind'] | ApiKeyCommand['kind']]: CommandIntent } = {
  OnboardTenant: 'lifecycle',
  SuspendTenant: 'lifecycle',
  ReinstateTenant: 'lifecycle',
  OffboardTenant: 'lifecycle',
  AssignSocTeam: 'grants-access',
  AddCloudConnection: 'grants-access',
  IssueApiKey: 'grants-access',
  // Taking access away while suspended is wrapping up; once offboarded, the record is closed to
  // these (the teams and connections of an offboarded tenant serve nothing: nothing starts).
  UnassignSocTeam: 'wraps-up',
  RemoveCloudConnection: 'wraps-up',
  // A key outlives its tenant's offboarding until it expires: revoking it is never refused.
  RevokeApiKey: 'revokes-access',
};
