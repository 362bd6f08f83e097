// Incidents over GraphQL: the SOC queue across the tenants the caller may see, an incident with its
// full timeline, every lifecycle command (with optimistic concurrency), response actions, metrics,
// and external alert intake (Defender for Cloud, Sentinel).
import { Inject } from '@nestjs/common';
import {
  Args,
  Context,
  createUnionType,
  Field,
  Float,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  registerEnumType,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { humanOf, type Permission } from '@rampart/auth';
import { comparePositions, formatPosition, unstorableTextIn, type CommandContext, type CommandOutcome, type DomainEvent, type RecordedEvent } from '@rampart/event-sourcing';
import { postureStreamId } from '@rampart/guardrails';
import {
  ACTION_CATALOG,
  actionStreamId,
  alertReceived,
  approvalExpiryMinutesOf,
  CLASSIFICATIONS,
  DEFAULT_INCIDENT_POLICY,
  incidentStreamId,
  meanTimes,
  meanTimesBy,
  opensIncident,
  parseExternalAlert,
  SEVERITIES,
  slaState,
  type ActionCommand,
  type ActionEntry,
  type Classification,
  type IncidentCommand,
  type IncidentEntry,
  type IncidentPolicy,
  type Phase,
  type Severity,
  type Signal,
} from '@rampart/incidents';
import { recordedIncidentSeverities } from '@rampart/guardrails-application';
import {
  changeAction,
  changeIncident,
  findingSeveritiesOf,
  incidentPolicyOf,
  mergeIncident,
  raiseSignal,
  setIncidentPolicy,
  SignalBatch,
  type ActionRequest,
  type IncidentsDeps,
} from '@rampart/incidents-application';
import { answerCacheOf, answerKey } from '@rampart/platform';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import { socTeamsAt, tenantStreamId, type TenancyEvent } from '@rampart/tenancy';
import { tenantStanding } from '@rampart/tenancy-application';
import { randomUUID } from 'node:crypto';
import { Authorize, InheritsAuthorization, TenantOwned } from '../authorization/rules';
import { FindingType } from './guardrails.resolver';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { connectionOf, decodeCursor, pageSize, toConnection } from './connection';
import { badInput, jsonArg, periodArgs } from './inputs';
import { Rejection } from './types';

export enum IncidentStep {
  START_RESPONSE = 'START_RESPONSE',
  CONFIRM_CONTAINMENT = 'CONFIRM_CONTAINMENT',
  CONFIRM_REMEDIATION = 'CONFIRM_REMEDIATION',
  CONFIRM_RECOVERY = 'CONFIRM_RECOVERY',
}
registerEnumType(IncidentStep, { name: 'IncidentStep', description: 'Responding -> Remediating (contained) -> Recovering (remediated) -> Resolved (recovered).' });

export enum MetricsGrouping {
  TENANT = 'TENANT',
  SOC_TEAM = 'SOC_TEAM',
  SEVERITY = 'SEVERITY',
  ASSIGNEE = 'ASSIGNEE',
}
registerEnumType(MetricsGrouping, {
  name: 'MetricsGrouping',
  description:
    'TENANT | SOC_TEAM (the teams serving the tenant when the incident opened) | SEVERITY (as the incident is now) | ASSIGNEE (the analyst it is assigned to now; "unassigned" for none).',
});

@ObjectType({ description: 'MTTA / MTTC / MTTR of one group of incidents.' })
@InheritsAuthorization()
export class IncidentMetricsGroupType {
  @Field({ description: 'The tenant id, SOC team or severity.' }) key!: string;
  @Field(() => Int) incidents!: number;
  @Field(() => Float, { nullable: true }) mttaSeconds!: number | null;
  @Field(() => Float, { nullable: true }) mttcSeconds!: number | null;
  @Field(() => Float, { nullable: true }) mttrSeconds!: number | null;
}

@ObjectType({ description: 'Someone incidents can be assigned to, and the work they hold now.' })
@InheritsAuthorization()
export class AssigneeType {
  @Field({ description: 'As incidents name them (the identity provider\'s user id).' }) id!: string;
  @Field(() => Int, { description: 'Open incidents assigned to them, in the tenants the caller may see.' }) openIncidents!: number;
  @Field({ description: 'When they were last assigned an incident that opened there (ISO-8601).' }) lastAssignedAt!: string;
}

@ObjectType()
@InheritsAuthorization()
export class SignalType {
  @Field({ description: 'finding | alert | manual' }) kind!: string;
  @Field() ref!: string;
  @Field() title!: string;
  @Field() severity!: string;
  @Field(() => [String]) resourceKeys!: string[];
  @Field(() => [String]) entities!: string[];
  @Field() detectedAt!: string;
}

@ObjectType({ description: 'One step of an incident, from its own stream, its actions and the posture of its resources.' })
@InheritsAuthorization()
export class TimelineEntryType {
  @Field() at!: string;
  @Field() position!: string;
  @Field({ description: 'The event type, e.g. incidents.IncidentTriaged.v1 or guardrails.FindingResolved.v1' }) type!: string;
  @Field() actorKind!: string;
  @Field() actorId!: string;
  @Field(() => String, { nullable: true, description: 'For an API key: the person who issued it and answers for what it did.' }) actorIssuedBy!: string | null;
  @Field(() => String, { nullable: true }) onBehalfOfTenant!: string | null;
  @Field({ description: 'The event data (JSON).' }) data!: string;
}

@ObjectType()
@InheritsAuthorization()
export class ResponseActionType {
  @Field(() => ID) actionId!: string;
  @Field(() => ID) incidentId!: string;
  @Field() actionKind!: string;
  @Field({ description: 'OCSF remediation verb: Isolate | Evict | Restore | Harden' }) verb!: string;
  @Field() phase!: string;
  @Field() target!: string;
  @Field({ description: 'Parameters (JSON).' }) parameters!: string;
  @Field() destructive!: boolean;
  @Field({ description: 'proposed | approved | executing | succeeded | failed | cancelled | expired (not approved within the tenant\'s approvalExpiryMinutes)' }) status!: string;
  @Field() proposedBy!: string;
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field(() => String, { nullable: true }) executor!: string | null;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field({ description: 'Failed without knowing whether the receiver acted (no answer, interrupted call): never sent again; resolve it with resolveUncertainAction.' })
  uncertain!: boolean;
  @Field() verified!: boolean;
  @Field(() => String, { nullable: true }) playbookId!: string | null;
  @Field() proposedAt!: string;
  @Field(() => String, { nullable: true, description: 'When an expired proposal\'s approval lifetime ran out, unapproved.' }) expiredAt!: string | null;
}

@ObjectType({ description: 'An incident of one tenant.' })
@TenantOwned('tenants.read')
export class IncidentType {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) incidentId!: string;
  @Field() title!: string;
  @Field() severity!: string;
  @Field({ description: 'new | triaged | responding | remediating | recovering | resolved | closed | merged' }) status!: string;
  @Field(() => String, { nullable: true }) assignee!: string | null;
  @Field(() => [SignalType]) signals!: SignalType[];
  @Field(() => [String], { description: 'At most 50.' }) labels!: string[];
  @Field() openedAt!: string;
  @Field(() => String, { nullable: true }) triagedAt!: string | null;
  @Field(() => String, { nullable: true }) containedAt!: string | null;
  @Field(() => String, { nullable: true }) resolvedAt!: string | null;
  @Field(() => String, { nullable: true }) closedAt!: string | null;
  @Field(() => String, { nullable: true }) classification!: string | null;
  @Field(() => String, { nullable: true }) mergedInto!: string | null;
  @Field(() => [String], { description: 'SLA targets missed: acknowledge | contain | resolve' }) breached!: string[];
  @Field({ description: 'ok | at-risk | breached' }) slaState!: string;
  @Field(() => Int) openTasks!: number;
  @Field(() => Int, { description: 'Pass it as expectedRevision to act on exactly what you saw.' }) revision!: number;
  @Field(() => [String], { description: 'The resources its signals name (lower-cased ARM ids or other keys): what a queue searches and groups by.' })
  resourceKeys!: string[];
}

export const IncidentConnection = connectionOf(IncidentType, 'Incident');
export type IncidentConnection = InstanceType<typeof IncidentConnection>;

@ObjectType({ description: 'A parameter a response action needs.' })
@InheritsAuthorization()
export class ActionParameterType {
  @Field() name!: string;
  @Field() description!: string;
}

@ObjectType({ description: 'A kind of response action the platform can propose, from its catalog.' })
@InheritsAuthorization()
export class ActionKindType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field({ description: 'OCSF remediation verb: Isolate | Evict | Restore | Harden' }) verb!: string;
  @Field({ description: 'Needs a second person to approve it.' }) destructive!: boolean;
  @Field(() => [ActionParameterType]) parameters!: ActionParameterType[];
}

@ObjectType({ description: 'A response action waiting for approval, with the incident it answers.' })
@TenantOwned('tenants.read')
export class PendingActionType {
  @Field(() => ID) tenantId!: string;
  @Field() incidentTitle!: string;
  @Field() incidentSeverity!: string;
  @Field({ description: 'The incident\'s status: an incident can read contained while an isolating action still waits.' }) incidentStatus!: string;
  @Field(() => ResponseActionType) action!: ResponseActionType;
  @Field({ description: "When the proposal expires unapproved: proposedAt plus the tenant's approvalExpiryMinutes. Approving it from then on is refused (proposal-expired)." })
  expiresAt!: string;
}
export const PendingActionConnection = connectionOf(PendingActionType, 'PendingAction');
export type PendingActionConnection = InstanceType<typeof PendingActionConnection>;

@ObjectType({ description: 'Mean times over the incidents opened in a period, in seconds.' })
@TenantOwned('tenants.read')
export class IncidentMetricsType {
  @Field(() => ID) tenantId!: string;
  @Field(() => Int) incidents!: number;
  @Field(() => Float, { nullable: true }) mttaSeconds!: number | null;
  @Field(() => Float, { nullable: true }) mttcSeconds!: number | null;
  @Field(() => Float, { nullable: true }) mttrSeconds!: number | null;
}

@ObjectType({ description: 'A change to an incident or a response action was recorded.' })
@InheritsAuthorization()
export class IncidentChanged {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "The stream's revision after the change." }) revision!: number;
}

export const IncidentResult = createUnionType({
  name: 'IncidentResult',
  types: () => [IncidentChanged, Rejection] as const,
  resolveType: (value: object) => ('code' in value ? Rejection : IncidentChanged),
});

@ObjectType({ description: 'What became of each alert of an ingested payload.' })
@InheritsAuthorization()
export class AlertIngestedType {
  @Field() externalId!: string;
  @Field({ description: 'opened | attached | duplicate' }) decision!: string;
  @Field(() => ID) incidentId!: string;
}

@ObjectType()
@InheritsAuthorization()
export class IngestAlertsResultType {
  @Field(() => [AlertIngestedType]) alerts!: AlertIngestedType[];
}

@InputType()
export class IncidentFilter {
  @Field(() => ID, { nullable: true }) tenantId?: string;
  @Field({ nullable: true }) severity?: string;
  @Field({ nullable: true }) status?: string;
  @Field({ nullable: true }) assignee?: string;
  @Field({ nullable: true, description: 'Only incidents still open (not resolved, closed or merged).' }) open?: boolean;
}

@InputType()
class IncidentRef {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) incidentId!: string;
  @Field(() => Int, { nullable: true, description: 'The revision you saw: the change is refused (stale-revision) if the incident moved since.' })
  expectedRevision?: number;
}

@InputType()
export class OpenIncidentInput {
  @Field(() => ID) tenantId!: string;
  @Field() title!: string;
  @Field() severity!: string;
  @Field(() => [String], { nullable: true, description: 'ARM ids of the resources concerned: at most 100 (an incident names at most 500 across its signals).' })
  resourceIds?: string[];
  @Field(() => [String], { nullable: true, description: 'Entities as kind:name, e.g. ip:203.0.113.7; at most 100.' }) entities?: string[];
}

@InputType()
export class TriageIncidentInput extends IncidentRef {
  @Field() severity!: string;
  @Field() assignee!: string;
}

@InputType()
export class ReassignIncidentInput extends IncidentRef {
  @Field({ description: 'Who takes it over, as incidents name people (the identity provider\'s user id).' }) assignee!: string;
}

@InputType()
export class AdvanceIncidentInput extends IncidentRef {
  @Field(() => IncidentStep) step!: IncidentStep;
  @Field() summary!: string;
}

@InputType()
export class CloseIncidentInput extends IncidentRef {
  @Field({ description: 'true-positive | benign-positive | false-positive | undetermined' }) classification!: string;
  @Field() reason!: string;
  @Field() rootCause!: string;
  @Field() lessonsLearned!: string;
  @Field({ nullable: true, description: 'A guardrail/baseline change to propose to the tenant (prevention).' }) preventionChange?: string;
  @Field({ nullable: true }) preventionGuardrailId?: string;
  @Field({ nullable: true }) preventionBaselineId?: string;
}

@InputType()
export class IncidentTextInput extends IncidentRef {
  @Field() text!: string;
}

@InputType()
export class AddIncidentTaskInput extends IncidentRef {
  @Field() title!: string;
  @Field() owner!: string;
  @Field() dueAt!: string;
}

@InputType()
export class CompleteIncidentTaskInput extends IncidentRef {
  @Field(() => ID) taskId!: string;
}

@InputType()
export class AddIncidentEvidenceInput extends IncidentRef {
  @Field() uri!: string;
  @Field({ description: 'SHA-256 of the evidence, 64 lowercase hex digits.' }) sha256!: string;
  @Field({ nullable: true }) description?: string;
}

@InputType()
export class ChangeIncidentLabelsInput extends IncidentRef {
  @Field(() => [String], { nullable: true, description: 'Labels to add: lowercase, digits and : . _ -, up to 40 characters; an incident keeps at most 50.' }) add?: string[];
  @Field(() => [String], { nullable: true }) remove?: string[];
}

@InputType()
export class MergeIncidentInput extends IncidentRef {
  @Field(() => ID) into!: string;
}

@InputType()
export class ProposeActionInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) incidentId!: string;
  @Field() actionKind!: string;
  @Field() target!: string;
  @Field({ description: 'respond | remediate | recover' }) phase!: string;
  @Field({ nullable: true, description: 'Parameters as a JSON object of strings.' }) parametersJson?: string;
}

@InputType()
export class ActionRefInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) actionId!: string;
}

@InputType()
export class CancelActionInput extends ActionRefInput {
  @Field() reason!: string;
}

@InputType()
export class RecordActionOutcomeInput extends ActionRefInput {
  @Field() succeeded!: boolean;
  @Field({ description: 'What was done, or why it failed.' }) outcome!: string;
  @Field({ nullable: true }) evidenceUri?: string;
}

@InputType()
export class ResolveUncertainActionInput extends ActionRefInput {
  @Field({ description: 'What the receiver really did, as checked with it.' }) succeeded!: boolean;
  @Field({ description: 'How it was established, e.g. the automation run id.' }) note!: string;
  @Field({ nullable: true }) evidenceUri?: string;
}

@InputType()
export class IngestAlertsInput {
  @Field(() => ID) tenantId!: string;
  @Field({ description: 'A Defender for Cloud alert (REST, export or Activity Log shape), a page of them, or a Sentinel incident or alert, as JSON.' })
  payloadJson!: string;
}

/** Payloads larger than this are refused: alerts are small, a page holds at most 100. */
export const MAX_ALERT_PAYLOAD_BYTES = 1024 * 1024;

/** Over for an incident that ended: breached or not, for good; while it runs, as the clock says. */
export const incidentSlaState = (doc: IncidentEntry, sla: IncidentPolicy['sla'], now: Date): string =>
  ['resolved', 'closed', 'merged'].includes(doc.status) ? (doc.breached.length ? 'breached' : 'ok') : slaState(doc, now, sla);

export const toIncident = (doc: IncidentEntry, sla: IncidentPolicy['sla'], now = new Date()): IncidentType => ({
  ...doc,
  signals: doc.signals.map((s) => ({ ...s, resourceKeys: [...s.resourceKeys], entities: [...s.entities] })),
  labels: [...doc.labels],
  breached: [...doc.breached],
  resourceKeys: [...doc.resourceKeys],
  slaState: incidentSlaState(doc, sla, now),
});

@ObjectType()
@InheritsAuthorization()
export class SlaTargetsType {
  @Field() severity!: string;
  @Field(() => Int) acknowledgeMinutes!: number;
  @Field(() => Int) containMinutes!: number;
  @Field(() => Int) resolveMinutes!: number;
}

@ObjectType({ description: "A tenant's incident policy." })
@TenantOwned('tenants.read')
export class IncidentPolicyType {
  @Field(() => ID) tenantId!: string;
  @Field(() => [SlaTargetsType]) sla!: SlaTargetsType[];
  @Field(() => [String], { description: 'Non-destructive action kinds proposed as already approved.' }) preApprovedActions!: string[];
  @Field(() => Int) correlationWindowMinutes!: number;
  @Field(() => Int, { description: 'How long a proposed response action waits for approval before it expires (default 1440, a day).' }) approvalExpiryMinutes!: number;
  @Field(() => [String], { description: 'Severities of guardrail findings that open (or join) an incident.' }) findingSeverities!: string[];
  @Field({
    description:
      "Whose choice findingSeverities is: incident-policy (set here), reporting-policy (named in guardrails' deprecated reporting policy, which holds until this policy names its own) or default.",
  })
  findingSeveritiesFrom!: string;
}

@InputType()
export class SlaTargetsInput {
  @Field() severity!: string;
  @Field(() => Int, { nullable: true }) acknowledgeMinutes?: number;
  @Field(() => Int, { nullable: true }) containMinutes?: number;
  @Field(() => Int, { nullable: true }) resolveMinutes?: number;
}

@InputType()
export class SetIncidentPolicyInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => [SlaTargetsInput], { nullable: true }) sla?: SlaTargetsInput[];
  @Field(() => [String], { nullable: true }) preApprovedActions?: string[];
  @Field(() => Int, { nullable: true }) correlationWindowMinutes?: number;
  @Field(() => [String], { nullable: true, description: 'Severities of guardrail findings that open (or join) an incident; [] for none.' }) findingSeverities?: string[];
  @Field(() => Int, { nullable: true, description: 'How long a proposed response action waits for approval before it expires: whole minutes from 5 to 43200 (30 days).' })
  approvalExpiryMinutes?: number;
}

const toPolicy = (tenantId: string, policy: IncidentPolicy, findings: Awaited<ReturnType<typeof findingSeveritiesOf>>): IncidentPolicyType => ({
  tenantId,
  sla: SEVERITIES.map((severity) => ({ severity, ...policy.sla[severity] })),
  preApprovedActions: [...policy.preApprovedActions],
  correlationWindowMinutes: policy.correlationWindowMinutes,
  approvalExpiryMinutes: approvalExpiryMinutesOf(policy),
  findingSeverities: [...findings.severities],
  findingSeveritiesFrom: findings.from,
});

const toAction = (doc: ActionEntry): ResponseActionType => ({ ...doc, parameters: JSON.stringify(doc.parameters), expiredAt: doc.expiredAt ?? null });

/** A change of a tenant's incident policy, as the mutations answer it. */
export const policyResult = (tenantId: string, outcome: CommandOutcome<DomainEvent>): typeof IncidentResult =>
  outcome.ok ? { tenantId, id: 'policy', revision: outcome.append?.nextExpectedRevision ?? -1 } : { code: outcome.rejection.code, message: outcome.rejection.message ?? null };

/** A new id for what a person creates (a manual incident, a comment, a task, an action). */
const newId = (prefix: string) => `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 12)}`;


/** What the incidents use cases need from the API's process: its stores and tenancy's standing rule. */
export const incidentsDeps = (runtime: ApiRuntime): IncidentsDeps => ({
  stores: runtime.stores,
  standing: tenantStanding(runtime.stores.eventStore),
  reportingChoice: recordedIncidentSeverities(runtime.stores.eventStore),
});

/**
 * Alert intake, shared by the GraphQL mutation and the webhook endpoint: the payload parsed into
 * alerts, each raised with the incidents' one use case (which asks the tenant's standing, correlates,
 * and opens, attaches or recognises a duplicate), and the answer mapped. The caller has checked that
 * the principal may send alerts for the tenant.
 */
export const recordAlerts = async (runtime: ApiRuntime, ctx: RequestContext, tenantId: string, payload: unknown): Promise<IngestAlertsResultType | { error: string; code?: string }> => {
  const unstorable = unstorableTextIn(payload, 'payload');
  if (unstorable) return { error: `${unstorable}, which cannot be stored` };
  const parsed = parseExternalAlert(payload);
  if (!parsed.ok) return { error: parsed.reason };
  const deps = incidentsDeps(runtime);
  const cause = { actor: ctx.scope.actorFor('alerts.ingest', tenantId), correlationId: ctx.correlationId, causationId: null, now: new Date() };
  const batch = new SignalBatch();
  const results: AlertIngestedType[] = [];
  for (const alert of parsed.alerts) {
    const outcome = await raiseSignal(deps, alertReceived(tenantId, alert), cause, batch);
    if (!outcome.ok) {
      // The tenant's standing refuses the whole payload (its first alert); any other refusal names the alert.
      if (outcome.intent) return { error: outcome.rejection.message ?? outcome.rejection.code, code: outcome.rejection.code };
      return { error: `alert ${alert.externalId} not recorded: ${outcome.rejection.code}` };
    }
    const { placed } = outcome;
    if (!placed) throw new Error('an alert always places its signal');
    results.push({ externalId: alert.externalId, decision: ({ open: 'opened', attach: 'attached', duplicate: 'duplicate' } as const)[placed.decision], incidentId: placed.incidentId });
  }
  return { alerts: results };
};

@Resolver(() => IncidentType)
export class IncidentsResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => IncidentConnection, { description: 'The incident queue across the tenants the caller may see, newest first.' })
  @Authorize({ kind: 'list', permission: 'tenants.read', tenantArg: 'filter.tenantId' })
  async incidents(
    @Context() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => IncidentFilter, nullable: true }) filter?: IncidentFilter,
  ): Promise<IncidentConnection> {
    const limit = pageSize(first);
    const reach = ctx.scope.reach('tenants.read');
    const params: unknown[] = [limit + 1];
    let where = 'true';
    if (!reach.all) {
      params.push([...reach.tenants].sort()); // sorted: one kept page for every caller with this reach
      where += ` AND tenant_id = ANY($${params.length}::text[])`;
    }
    const cursor = decodeCursor(after);
    if (cursor) {
      const at = cursor.indexOf('|');
      params.push(cursor.slice(0, at), cursor.slice(at + 1));
      where += ` AND (doc->>'openedAt', id) < ($${params.length - 1}, $${params.length})`;
    }
    if (filter?.severity && !SEVERITIES.includes(filter.severity as Severity)) throw badInput(`severity is one of ${SEVERITIES.join(', ')}`);
    for (const [column, value] of [
      ['tenant_id', filter?.tenantId],
      ["doc->>'severity'", filter?.severity],
      ["doc->>'status'", filter?.status],
      ["doc->>'assignee'", filter?.assignee],
    ] as const) {
      if (value === undefined || value === null) continue;
      params.push(value);
      where += ` AND ${column} = $${params.length}`;
    }
    if (filter?.open) where += ` AND doc->>'status' NOT IN ('resolved', 'closed', 'merged')`;
    // The page's rows and their tenants' policies are kept while the read side stands still (a SOC
    // console polls its queue); the SLA state is the clock's, so it is worked out on every ask.
    const page = await answerCacheOf(this.runtime.stores).get(
      answerKey('queue', where, params),
      async () => {
        const { rows } = await this.runtime.stores.readModels.query<{ id: string; doc: IncidentEntry }>(
          `SELECT id, doc FROM "${READ_MODEL_SCHEMA}".incidents WHERE ${where} ORDER BY doc->>'openedAt' DESC, id DESC LIMIT $1`,
          params,
        );
        const tenants = [...new Set(rows.map((r) => r.doc.tenantId))];
        const policyList = await Promise.all(tenants.map((tenantId) => incidentPolicyOf(this.runtime.stores, tenantId)));
        const slaOf = new Map(tenants.map((t, i) => [t, policyList[i].sla]));
        // Everything but the SLA state, cursors included, is worked out once for the kept page.
        const connection = toConnection(
          rows.map((r) => ({ ...toIncident(r.doc, slaOf.get(r.doc.tenantId) ?? DEFAULT_INCIDENT_POLICY.sla), row: r.id, doc: r.doc })),
          limit,
          (i) => `${i.openedAt}|${i.row}`,
        );
        return { value: { ...connection, slaOf } };
      },
      ctx.readSideVersion(),
    );
    const now = new Date();
    return {
      pageInfo: page.pageInfo,
      edges: page.edges.map(({ cursor, node }) => ({
        cursor,
        node: { ...node, slaState: incidentSlaState(node.doc, page.slaOf.get(node.tenantId) ?? DEFAULT_INCIDENT_POLICY.sla, now) },
      })),
    };
  }

  @Query(() => [ActionKindType], { description: 'The response actions that can be proposed (proposeAction actionKind), with the parameters each needs.' })
  @Authorize({ kind: 'global', permission: 'tenants.read' })
  actionCatalog(): ActionKindType[] {
    return ACTION_CATALOG.map((a) => ({ ...a, parameters: Object.entries(a.parameters).map(([name, description]) => ({ name, description })) }));
  }

  @Query(() => PendingActionConnection, {
    description:
      "Response actions waiting for approval across the tenants the caller may see (or one tenant), oldest first: the approvals inbox. A proposal past its tenant's approval lifetime is not listed, whether or not the worker has recorded its expiry yet.",
  })
  @Authorize({ kind: 'list', permission: 'tenants.read', tenantArg: 'tenantId' })
  async pendingActions(
    @Context() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
  ): Promise<PendingActionConnection> {
    const limit = pageSize(first);
    const reach = ctx.scope.reach('tenants.read');
    const params: unknown[] = [];
    let where = `a.doc->>'status' = 'proposed'`;
    if (!reach.all) {
      params.push([...reach.tenants]);
      where += ` AND a.tenant_id = ANY($${params.length}::text[])`;
    }
    if (tenantId) {
      params.push(tenantId);
      where += ` AND a.tenant_id = $${params.length}`;
    }
    // Each waiting tenant's approval lifetime, as the earliest proposal time still in it: a proposal
    // the worker has not yet recorded as expired is left out all the same (approving it is refused).
    const now = new Date();
    const store = this.runtime.stores;
    const { rows: waiting } = await store.readModels.query<{ tenant_id: string }>(`SELECT DISTINCT a.tenant_id FROM "${READ_MODEL_SCHEMA}".response_actions a WHERE ${where}`, params);
    const lifetimes = new Map<string, number>();
    for (const row of waiting) lifetimes.set(row.tenant_id, approvalExpiryMinutesOf(await incidentPolicyOf(store, row.tenant_id)));
    params.push([...lifetimes.keys()], [...lifetimes.values()].map((minutes) => new Date(now.getTime() - minutes * 60_000).toISOString()));
    where += ` AND a.doc->>'proposedAt' > l.since`;
    const lifetimeJoin = `JOIN unnest($${params.length - 1}::text[], $${params.length}::text[]) AS l(tenant_id, since) ON l.tenant_id = a.tenant_id`;
    const cursor = decodeCursor(after);
    if (cursor) {
      const at = cursor.indexOf('|');
      params.push(cursor.slice(0, at), cursor.slice(at + 1));
      where += ` AND (a.doc->>'proposedAt', a.id) > ($${params.length - 1}, $${params.length})`;
    }
    params.push(limit + 1);
    const { rows } = await store.readModels.query<{ id: string; doc: ActionEntry; incident: IncidentEntry | null }>(
      `SELECT a.id, a.doc, i.doc AS incident
       FROM "${READ_MODEL_SCHEMA}".response_actions a
       ${lifetimeJoin}
       LEFT JOIN "${READ_MODEL_SCHEMA}".incidents i ON i.id = a.tenant_id || '|' || (a.doc->>'incidentId')
       WHERE ${where} ORDER BY a.doc->>'proposedAt', a.id LIMIT $${params.length}`,
      params,
    );
    return toConnection(
      rows.map((r) => ({
        tenantId: r.doc.tenantId,
        incidentTitle: r.incident?.title ?? r.doc.incidentId,
        incidentSeverity: r.incident?.severity ?? 'unknown',
        incidentStatus: r.incident?.status ?? 'unknown',
        action: toAction(r.doc),
        expiresAt: new Date(Date.parse(r.doc.proposedAt) + (lifetimes.get(r.doc.tenantId) ?? 0) * 60_000).toISOString(),
        row: r.id,
      })),
      limit,
      (p) => `${p.action.proposedAt}|${p.row}`,
    );
  }

  @Query(() => IncidentType, { nullable: true })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async incident(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('incidentId', { type: () => ID }) incidentId: string): Promise<IncidentType | null> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: IncidentEntry }>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".incidents WHERE id = $1`, [
      `${tenantId}|${incidentId}`,
    ]);
    return rows[0] ? toIncident(rows[0].doc, (await incidentPolicyOf(this.runtime.stores, tenantId)).sla) : null;
  }


  @ResolveField(() => [ResponseActionType])
  async actions(@Parent() incident: IncidentType): Promise<ResponseActionType[]> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: ActionEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".response_actions WHERE tenant_id = $1 AND doc->>'incidentId' = $2 ORDER BY doc->>'proposedAt', id`,
      [incident.tenantId, incident.incidentId],
    );
    return rows.map((r) => toAction(r.doc));
  }

  @ResolveField(() => [TimelineEntryType], { description: 'Everything that happened, in log order: the incident, its actions, and the posture of its resources since it opened.' })
  async timeline(@Parent() incident: IncidentType): Promise<TimelineEntryType[]> {
    const store = this.runtime.stores.eventStore;
    const actions = await this.actions(incident);
    const streams = [
      incidentStreamId(incident.tenantId, incident.incidentId),
      ...actions.map((a) => actionStreamId(incident.tenantId, a.actionId)),
      ...incident.resourceKeys.map((key) => postureStreamId(incident.tenantId, key)),
    ];
    const events: RecordedEvent[] = [];
    for (const streamId of streams) events.push(...(await store.readStream(streamId)));
    // Posture from a day before the incident opened: the change that caused it belongs to its story.
    const since = Date.parse(incident.openedAt) - 86_400_000;
    return events
      .filter((e) => !e.streamId.includes(':posture-') || Date.parse(e.recordedAt) >= since)
      .sort((a, b) => comparePositions(a.globalPosition, b.globalPosition))
      .map((e) => ({
        at: e.recordedAt,
        position: formatPosition(e.globalPosition),
        type: e.type,
        actorKind: e.metadata.actor.kind,
        actorId: e.metadata.actor.id,
        actorIssuedBy: e.metadata.actor.issuedBy?.id ?? null,
        onBehalfOfTenant: e.metadata.actor.onBehalfOfTenant ?? null,
        data: JSON.stringify(e.data),
      }));
  }

  @Query(() => IncidentPolicyType, { description: "A tenant's SLA targets, pre-approved actions and correlation window." })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async incidentPolicy(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<IncidentPolicyType> {
    const policy = await incidentPolicyOf(this.runtime.stores, tenantId);
    return toPolicy(tenantId, policy, await findingSeveritiesOf(incidentsDeps(this.runtime), tenantId, policy));
  }

  @Mutation(() => IncidentResult, { description: "Changes a tenant's incident policy; what is not given stays as it is." })
  @Authorize({ kind: 'tenant', permission: 'incidents.policy', tenantArg: 'input.tenantId' })
  async setIncidentPolicy(@Context() ctx: RequestContext, @Args('input') input: SetIncidentPolicyInput): Promise<typeof IncidentResult> {
    const sla = Object.fromEntries(
      (input.sla ?? []).map(({ severity, ...targets }) => [severity, Object.fromEntries(Object.entries(targets).filter(([, v]) => v !== undefined && v !== null))]),
    );
    const outcome = await setIncidentPolicy(
      incidentsDeps(this.runtime),
      input.tenantId,
      {
        kind: 'SetIncidentPolicy',
        sla,
        preApprovedActions: input.preApprovedActions ?? undefined,
        correlationWindowMinutes: input.correlationWindowMinutes ?? undefined,
        findingSeverities: (input.findingSeverities as Severity[] | undefined) ?? undefined,
        approvalExpiryMinutes: input.approvalExpiryMinutes ?? undefined,
      },
      { actor: ctx.scope.actorFor('incidents.policy', input.tenantId), correlationId: ctx.correlationId, causationId: null, now: new Date() },
    );
    return policyResult(input.tenantId, outcome);
  }

  @Query(() => IncidentMetricsType, { description: 'MTTA / MTTC / MTTR over the incidents opened in [from, to).' })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async incidentMetrics(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('severity', { nullable: true }) severity?: string,
  ): Promise<IncidentMetricsType> {
    const { start, end } = periodArgs(from, to);
    if (severity && !SEVERITIES.includes(severity as Severity)) throw badInput(`severity is one of ${SEVERITIES.join(', ')}`);
    const { rows } = await this.runtime.stores.readModels.query<{ doc: IncidentEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".incidents WHERE tenant_id = $1 AND ($2::text IS NULL OR doc->>'severity' = $2)`,
      [tenantId, severity ?? null],
    );
    return { tenantId, ...meanTimes(rows.map((r) => r.doc), start, end) };
  }

  @Query(() => [IncidentMetricsGroupType], {
    description: 'MTTA / MTTC / MTTR over the incidents opened in [from, to) in the tenants the caller may see, per tenant, SOC team or severity.',
  })
  @Authorize({ kind: 'list', permission: 'tenants.read', tenantArg: 'tenantId' })
  async incidentMetricsBy(
    @Context() ctx: RequestContext,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('groupBy', { type: () => MetricsGrouping }) groupBy: MetricsGrouping,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
    @Args('severity', { nullable: true }) severity?: string,
  ): Promise<IncidentMetricsGroupType[]> {
    const { start, end } = periodArgs(from, to);
    if (severity && !SEVERITIES.includes(severity as Severity)) throw badInput(`severity is one of ${SEVERITIES.join(', ')}`);
    const reach = ctx.scope.reach('tenants.read');
    const { rows } = await this.runtime.stores.readModels.query<{ doc: IncidentEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".incidents
        WHERE ($1::boolean OR tenant_id = ANY($2::text[])) AND ($3::text IS NULL OR tenant_id = $3) AND ($4::text IS NULL OR doc->>'severity' = $4)
          AND doc->>'openedAt' >= $5 AND doc->>'openedAt' < $6`,
      [reach.all, reach.all ? [] : [...reach.tenants], tenantId ?? null, severity ?? null, start.toISOString(), end.toISOString()],
    );
    const incidents = rows.map((r) => r.doc);
    let groupsOf: (incident: IncidentEntry) => readonly string[];
    if (groupBy === MetricsGrouping.SOC_TEAM) {
      // Teams change over time: each tenant's own history says who was on duty.
      const histories = new Map<string, (TenancyEvent & { recordedAt: string })[]>();
      for (const id of new Set(incidents.map((i) => i.tenantId))) {
        histories.set(id, (await this.runtime.stores.eventStore.readStream(tenantStreamId(id))) as unknown as (TenancyEvent & { recordedAt: string })[]);
      }
      groupsOf = (i) => socTeamsAt(histories.get(i.tenantId) ?? [], new Date(i.openedAt));
    } else {
      groupsOf =
        groupBy === MetricsGrouping.TENANT ? (i) => [i.tenantId] : groupBy === MetricsGrouping.ASSIGNEE ? (i) => [i.assignee ?? 'unassigned'] : (i) => [i.severity];
    }
    return meanTimesBy(incidents, start, end, groupsOf).map(({ key, times }) => ({ key, ...times }));
  }

  @Query(() => [AssigneeType], {
    description:
      "Who the tenant's incidents can be assigned to, for a picker: the people holding incidents opened in the last 90 days in the tenants its SOC teams serve (those the caller may see), fewest open incidents first. Rampart keeps no roster of its own: people come from the identity provider, so someone who never held an incident is not listed (assign by id).",
  })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'tenantId' })
  async assignees(@Context() ctx: RequestContext, @Args('tenantId', { type: () => ID }) tenantId: string): Promise<AssigneeType[]> {
    const reach = ctx.scope.reach('tenants.read');
    const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const { rows } = await this.runtime.stores.readModels.query<{ assignee: string; open: string; last: string }>(
      `WITH served AS (
         SELECT d.id FROM "${READ_MODEL_SCHEMA}".tenant_directory d
          WHERE d.id = $1
             OR d.doc->'socTeams' ?| ARRAY(SELECT jsonb_array_elements_text(t.doc->'socTeams') FROM "${READ_MODEL_SCHEMA}".tenant_directory t WHERE t.id = $1))
       SELECT i.doc->>'assignee' AS assignee,
              count(*) FILTER (WHERE i.doc->>'status' NOT IN ('resolved', 'closed', 'merged')) AS open,
              max(i.doc->>'openedAt') AS last
         FROM "${READ_MODEL_SCHEMA}".incidents i
        WHERE i.tenant_id IN (SELECT id FROM served) AND ($2::boolean OR i.tenant_id = ANY($3::text[]))
          AND i.doc->>'assignee' IS NOT NULL AND i.doc->>'openedAt' >= $4
        GROUP BY 1 ORDER BY 2, 1 LIMIT 200`,
      [tenantId, reach.all, reach.all ? [] : [...reach.tenants], since],
    );
    return rows.map((r) => ({ id: r.assignee, openIncidents: Number(r.open), lastAssignedAt: r.last }));
  }

  @Mutation(() => IncidentResult, { description: 'Opens an incident by hand (an analyst saw something).' })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  openIncident(@Context() ctx: RequestContext, @Args('input') input: OpenIncidentInput): Promise<typeof IncidentResult> {
    if (!SEVERITIES.includes(input.severity as Severity)) throw badInput(`severity is one of ${SEVERITIES.join(', ')}`);
    const incidentId = newId('inc');
    const signal: Signal = {
      kind: 'manual',
      ref: `note-${incidentId}`,
      title: input.title,
      severity: input.severity as Severity,
      resourceKeys: (input.resourceIds ?? []).map((id) => id.toLowerCase()),
      entities: input.entities ?? [],
      detectedAt: new Date().toISOString(),
    };
    return this.incidentCommand(ctx, input.tenantId, incidentId, { kind: 'OpenIncident', incidentId, title: input.title, signal });
  }

  @Mutation(() => IncidentResult)
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  triageIncident(@Context() ctx: RequestContext, @Args('input') input: TriageIncidentInput): Promise<typeof IncidentResult> {
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind: 'TriageIncident', severity: input.severity as Severity, assignee: input.assignee }, input.expectedRevision);
  }

  @Mutation(() => IncidentResult, { description: 'Hands a triaged incident to someone else at any step before it closes (a new one is assigned by triageIncident).' })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  reassignIncident(@Context() ctx: RequestContext, @Args('input') input: ReassignIncidentInput): Promise<typeof IncidentResult> {
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind: 'ReassignIncident', assignee: input.assignee }, input.expectedRevision);
  }

  @Mutation(() => IncidentResult, { description: 'Moves an incident one step along its path, with what was done.' })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  advanceIncident(@Context() ctx: RequestContext, @Args('input') input: AdvanceIncidentInput): Promise<typeof IncidentResult> {
    const kind = ({ START_RESPONSE: 'StartResponse', CONFIRM_CONTAINMENT: 'ConfirmContainment', CONFIRM_REMEDIATION: 'ConfirmRemediation', CONFIRM_RECOVERY: 'ConfirmRecovery' } as const)[input.step];
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind, summary: input.summary }, input.expectedRevision);
  }

  @Mutation(() => IncidentResult, { description: 'Closes a resolved incident with its classification, root cause and lessons learned.' })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  closeIncident(@Context() ctx: RequestContext, @Args('input') input: CloseIncidentInput): Promise<typeof IncidentResult> {
    if (!CLASSIFICATIONS.includes(input.classification as Classification)) throw badInput(`classification is one of ${CLASSIFICATIONS.join(', ')}`);
    return this.incidentCommand(
      ctx,
      input.tenantId,
      input.incidentId,
      {
        kind: 'CloseIncident',
        classification: input.classification as Classification,
        reason: input.reason,
        rootCause: input.rootCause,
        lessonsLearned: input.lessonsLearned,
        prevention: input.preventionChange
          ? { change: input.preventionChange, guardrailId: input.preventionGuardrailId, baselineId: input.preventionBaselineId }
          : undefined,
      },
      input.expectedRevision,
    );
  }

  @Mutation(() => IncidentResult)
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  reopenIncident(@Context() ctx: RequestContext, @Args('input') input: IncidentTextInput): Promise<typeof IncidentResult> {
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind: 'ReopenIncident', reason: input.text }, input.expectedRevision);
  }

  @Mutation(() => IncidentResult, { description: "Adds a comment: the SOC's, or the customer admin's on their own tenant's incident." })
  @Authorize({ kind: 'tenant', permission: 'incidents.comment', tenantArg: 'input.tenantId' })
  commentOnIncident(@Context() ctx: RequestContext, @Args('input') input: IncidentTextInput): Promise<typeof IncidentResult> {
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind: 'AddComment', commentId: newId('c'), text: input.text }, input.expectedRevision, 'incidents.comment');
  }

  @Mutation(() => IncidentResult)
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  addIncidentTask(@Context() ctx: RequestContext, @Args('input') input: AddIncidentTaskInput): Promise<typeof IncidentResult> {
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind: 'AddTask', taskId: newId('t'), title: input.title, owner: input.owner, dueAt: input.dueAt }, input.expectedRevision);
  }

  @Mutation(() => IncidentResult)
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  completeIncidentTask(@Context() ctx: RequestContext, @Args('input') input: CompleteIncidentTaskInput): Promise<typeof IncidentResult> {
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind: 'CompleteTask', taskId: input.taskId }, input.expectedRevision);
  }

  @Mutation(() => IncidentResult)
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  addIncidentEvidence(@Context() ctx: RequestContext, @Args('input') input: AddIncidentEvidenceInput): Promise<typeof IncidentResult> {
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind: 'AddEvidence', uri: input.uri, sha256: input.sha256, description: input.description ?? '' }, input.expectedRevision);
  }

  @Mutation(() => IncidentResult)
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  changeIncidentLabels(@Context() ctx: RequestContext, @Args('input') input: ChangeIncidentLabelsInput): Promise<typeof IncidentResult> {
    return this.incidentCommand(ctx, input.tenantId, input.incidentId, { kind: 'ChangeLabels', add: input.add ?? [], remove: input.remove ?? [] }, input.expectedRevision);
  }

  @Mutation(() => IncidentResult, { description: 'Merges this incident into another one; its signals are attached there.' })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  async mergeIncident(@Context() ctx: RequestContext, @Args('input') input: MergeIncidentInput): Promise<typeof IncidentResult> {
    const context = this.commandContext(ctx, 'incidents.respond', input.tenantId);
    return this.result(input.tenantId, input.incidentId, await mergeIncident(incidentsDeps(this.runtime), context, { incidentId: input.incidentId, into: input.into, expectedRevision: input.expectedRevision ?? undefined }));
  }

  @Mutation(() => IncidentResult, { description: 'Proposes a response action from the catalog for an incident.' })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  async proposeAction(@Context() ctx: RequestContext, @Args('input') input: ProposeActionInput): Promise<typeof IncidentResult> {
    let parameters: Record<string, string> = {};
    if (input.parametersJson) {
      parameters = jsonArg(input.parametersJson, 'parametersJson') as typeof parameters;
      if (typeof parameters !== 'object' || parameters === null || !Object.values(parameters).every((v) => typeof v === 'string')) {
        throw badInput('parametersJson must be an object of strings');
      }
    }
    if (!['respond', 'remediate', 'recover'].includes(input.phase)) throw badInput('phase is respond, remediate or recover');
    const actionId = newId('act');
    return this.actionCommand(ctx, 'incidents.respond', input.tenantId, actionId, {
      kind: 'ProposeAction',
      actionId,
      incidentId: input.incidentId,
      actionKind: input.actionKind,
      phase: input.phase as Phase,
      target: input.target,
      parameters,
      proposedBy: humanOf(ctx.scope.principal),
    });
  }

  @Mutation(() => IncidentResult, { description: 'Approves a proposed action; a destructive one needs someone other than who proposed it.' })
  @Authorize({ kind: 'tenant', permission: 'actions.approve', tenantArg: 'input.tenantId' })
  approveAction(@Context() ctx: RequestContext, @Args('input') input: ActionRefInput): Promise<typeof IncidentResult> {
    return this.actionCommand(ctx, 'actions.approve', input.tenantId, input.actionId, { kind: 'ApproveAction', approvedBy: humanOf(ctx.scope.principal) });
  }

  @Mutation(() => IncidentResult)
  @Authorize({ kind: 'tenant', permission: 'actions.approve', tenantArg: 'input.tenantId' })
  cancelAction(@Context() ctx: RequestContext, @Args('input') input: CancelActionInput): Promise<typeof IncidentResult> {
    return this.actionCommand(ctx, 'actions.approve', input.tenantId, input.actionId, { kind: 'CancelAction', reason: input.reason });
  }

  @Mutation(() => IncidentResult, { description: 'Records what happened to an executing action done by hand (manual executor), with evidence.' })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  recordActionOutcome(@Context() ctx: RequestContext, @Args('input') input: RecordActionOutcomeInput): Promise<typeof IncidentResult> {
    const command: ActionCommand = input.succeeded
      ? { kind: 'RecordSuccess', outcome: input.outcome, evidenceUri: input.evidenceUri }
      : { kind: 'RecordFailure', reason: input.outcome };
    return this.actionCommand(ctx, 'incidents.respond', input.tenantId, input.actionId, command);
  }

  @Mutation(() => IncidentResult, {
    description: 'Records what an uncertain failure really did (the call went unanswered or the worker died mid-call), after checking with the receiver.',
  })
  @Authorize({ kind: 'tenant', permission: 'incidents.respond', tenantArg: 'input.tenantId' })
  resolveUncertainAction(@Context() ctx: RequestContext, @Args('input') input: ResolveUncertainActionInput): Promise<typeof IncidentResult> {
    return this.actionCommand(ctx, 'incidents.respond', input.tenantId, input.actionId, {
      kind: 'ResolveUncertainOutcome',
      outcome: input.succeeded ? 'succeeded' : 'failed',
      note: input.note,
      evidenceUri: input.evidenceUri,
      resolvedBy: humanOf(ctx.scope.principal),
    });
  }

  @Mutation(() => IngestAlertsResultType, { description: 'External alerts in: each opens an incident, joins the open one on the same resource or entity, or is recognised as a duplicate.' })
  @Authorize({ kind: 'tenant', permission: 'alerts.ingest', tenantArg: 'input.tenantId' })
  async ingestAlerts(@Context() ctx: RequestContext, @Args('input') input: IngestAlertsInput): Promise<IngestAlertsResultType> {
    if (Buffer.byteLength(input.payloadJson) > MAX_ALERT_PAYLOAD_BYTES) throw badInput(`payloadJson is larger than ${MAX_ALERT_PAYLOAD_BYTES} bytes`);
    const payload = jsonArg(input.payloadJson, 'payloadJson');
    const outcome = await recordAlerts(this.runtime, ctx, input.tenantId, payload);
    if ('error' in outcome) throw badInput(outcome.error, outcome.code ? { reason: outcome.code } : {});
    return outcome;
  }

  private commandContext(ctx: RequestContext, permission: Permission, tenantId: string): CommandContext {
    return { tenantId, actor: ctx.scope.actorFor(permission, tenantId), correlationId: ctx.correlationId, now: new Date() };
  }

  private result(tenantId: string, id: string, outcome: CommandOutcome<DomainEvent>): typeof IncidentResult {
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { tenantId, id, revision: outcome.append?.nextExpectedRevision ?? -1 };
  }

  private async incidentCommand(
    ctx: RequestContext,
    tenantId: string,
    incidentId: string,
    command: IncidentCommand,
    expectedRevision?: number | null,
    permission: Permission = 'incidents.respond',
  ): Promise<typeof IncidentResult> {
    const context = this.commandContext(ctx, permission, tenantId);
    return this.result(tenantId, incidentId, await changeIncident(incidentsDeps(this.runtime), context, incidentId, command, { expectedRevision: expectedRevision ?? undefined }));
  }

  private async actionCommand(ctx: RequestContext, permission: Permission, tenantId: string, actionId: string, command: ActionRequest): Promise<typeof IncidentResult> {
    return this.result(tenantId, actionId, await changeAction(incidentsDeps(this.runtime), this.commandContext(ctx, permission, tenantId), actionId, command));
  }
}

/** The finding severities that open an incident, per request and tenant (a page of findings asks once). */
const findingChoices = new WeakMap<RequestContext, Map<string, ReturnType<typeof findingSeveritiesOf>>>();

@Resolver(() => FindingType)
export class FindingIncidentFieldsResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @ResolveField(() => Boolean, {
    description: 'Whether the finding opens (or joins) an incident: its severity is one the incident policy names. A finding recorded before the incidents context judged this keeps the judgment recorded with it.',
    deprecationReason: "Incidents decides which findings open an incident, from its own policy: read incidentPolicy's findingSeverities (or the incident queue).",
  })
  async raiseIncident(@Context() ctx: RequestContext, @Parent() finding: FindingType): Promise<boolean> {
    let choices = findingChoices.get(ctx);
    if (!choices) findingChoices.set(ctx, (choices = new Map()));
    let choice = choices.get(finding.tenantId);
    if (!choice) choices.set(finding.tenantId, (choice = findingSeveritiesOf(incidentsDeps(this.runtime), finding.tenantId)));
    return opensIncident({ severity: finding.severity as Severity, raiseIncident: finding.raiseIncident, existing: finding.existing }, (await choice).severities);
  }
}
