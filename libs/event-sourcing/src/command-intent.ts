// What a command does, in the few words a tenant's standing is judged by. Each context classifies
// its own command kinds with these intents; tenancy owns the rule that answers, for a tenant's
// status, which intents are admitted (`standingOf` in @rampart/tenancy). The vocabulary is shared so
// that contexts, which never import one another, can name it.
import type { Rejection } from './decider';

export const COMMAND_INTENTS = [
  /** Reads the record, and records that it was read (an audit export). */
  'reads',
  /** The tenant's own lifecycle: onboarding, suspension, reinstatement, offboarding. */
  'lifecycle',
  /** Finishes or tidies work already under way: triage, comments, closing, recording an outcome. */
  'wraps-up',
  /** Starts new work on the tenant's behalf: opens or reopens an incident, proposes, approves or executes an action, records alerts. */
  'starts-work',
  /** Changes what the tenant is held to: baselines and standards, exemptions, its reporting policy. */
  'changes-posture',
  /** Collects the tenant's inventory: pushed, from a file, or from its cloud on a schedule. */
  'collects',
  /** Gives someone or something access to the tenant: API keys, SOC teams, cloud connections. */
  'grants-access',
  /** Takes access away again: revoking an API key. */
  'revokes-access',
] as const;

export type CommandIntent = (typeof COMMAND_INTENTS)[number];

/** The codes a tenant's standing refuses a command with. */
export type StandingRefusalCode = 'tenant-not-found' | 'tenant-suspended' | 'tenant-offboarded';

/**
 * Asks whether a tenant, as it stands now, may take a command of this intent: nothing when
 * admitted, the refusal otherwise. Use cases outside tenancy take it as a dependency; the platform
 * answers it with tenancy's rule over the tenant's stream.
 */
export type TenantStanding = (tenantId: string, intent: CommandIntent) => Promise<Rejection<StandingRefusalCode> | undefined>;
