// History over GraphQL: a tenant as it was at an instant, its compliance score over time, and a
// guardrail replayed over the recorded configuration history. All read-only, all from the log.
import { Inject } from '@nestjs/common';
import { Args, Field, Float, ID, Int, ObjectType, Parent, Query, registerEnumType, ResolveField, Resolver } from '@nestjs/graphql';
import { builtInCatalog, parameterValuesOf } from '@rampart/guardrails';
import { DEFAULT_INCIDENT_POLICY } from '@rampart/incidents';
import { incidentPolicyOf } from '@rampart/incidents-application';
import { toCoverageSummary } from './coverage';
import { complianceSeries, MAX_SERIES_POINTS, postureAsOf, replayPolicy, standardComplianceSeries, type PostureAsOf } from '@rampart/platform';
import { Authorize, InheritsAuthorization, TenantOwned } from '../authorization/rules';
import { RUNTIME, type ApiRuntime } from '../runtime';
import {
  BaselineScoreType,
  ComplianceScoreType,
  ControlStateCountsType,
  ExemptionType,
  FindingType,
  FrameworkScoreType,
  ResourceComplianceType,
  TallyType,
  TenantGuardrailsType,
  toFinding,
  toPolicy,
} from './guardrails.resolver';
import { IncidentType, toIncident } from './incidents.resolver';
import { badInput, instantArg, jsonArg, periodArgs } from './inputs';
import { ResourceType, toResource } from './inventory.resolver';

/** A replayed definition is one policy file: bigger than this is not one. */
export const MAX_REPLAY_DEFINITION_BYTES = 256 * 1024; // the engine refuses definitions over 256 Ki characters too (guardrails LIMITS)


export enum SeriesBucket {
  HOUR = 'hour',
  DAY = 'day',
}
registerEnumType(SeriesBucket, { name: 'SeriesBucket', description: 'HOUR | DAY: one point at the end of each.' });

@ObjectType({ description: 'What one guardrail said about one resource at the instant.' })
@InheritsAuthorization()
export class ComplianceStateAsOfType extends ResourceComplianceType {
  @Field(() => ID) resourceId!: string;
  @Field() resourceType!: string;
}

@ObjectType({ description: 'A tenant exactly as it was at an instant, rebuilt from its events up to then.' })
@TenantOwned('tenants.read')
export class PostureAsOfType {
  @Field(() => ID) tenantId!: string;
  @Field() asOf!: string;
  @Field(() => String, { nullable: true, description: 'The log position of the last event folded in; null when the tenant had no history yet.' })
  position!: string | null;
  @Field(() => Int, { description: 'How many of its events were folded.' }) events!: number;
  @Field(() => Int) resourceCount!: number;
  @Field(() => TenantGuardrailsType, { nullable: true, description: 'Baselines assigned, exemptions (all, with status) and reporting policy then.' })
  guardrails!: TenantGuardrailsType | null;
  @Field(() => [ExemptionType], { description: 'Approved and not expired at the instant.' }) exemptionsInForce!: ExemptionType[];
  @Field(() => [FindingType]) openFindings!: FindingType[];
  @Field(() => [IncidentType], { description: 'Open incidents with their status and owner then (SLA state as at the instant).' }) openIncidents!: IncidentType[];
  @Field(() => ComplianceScoreType) score!: ComplianceScoreType;
  /** The fold, for the paged fields. */
  posture!: PostureAsOf;
}

@ObjectType({ description: 'The compliance score in force at the end of one hour or day.' })
@InheritsAuthorization()
export class ScorePointType {
  @Field() at!: string;
  @Field(() => TallyType) overall!: TallyType;
  @Field(() => [BaselineScoreType]) baselines!: BaselineScoreType[];
  @Field(() => [FrameworkScoreType]) frameworks!: FrameworkScoreType[];
}

@ObjectType({ description: "A standard's control states in force at the end of one hour or day." })
@InheritsAuthorization()
export class StandardScorePointType {
  @Field() at!: string;
  @Field({ description: 'Whether the tenant had the standard assigned then (if not, every count is 0).' }) assigned!: boolean;
  @Field(() => Float, { nullable: true, description: 'passed / (passed + failed + notEvaluable) controls.' }) score!: number | null;
  @Field(() => ControlStateCountsType) controlStates!: ControlStateCountsType;
}

@ObjectType({ description: 'A time a resource broke the replayed guardrail (nonCompliant), or could not be evaluated (error).' })
@InheritsAuthorization()
export class ReplayIntervalType {
  @Field(() => ID) resourceId!: string;
  @Field() resourceType!: string;
  @Field() from!: string;
  @Field(() => String, { nullable: true, description: 'Null: still so at the end of the replay.' }) to!: string | null;
  @Field({ description: 'nonCompliant | error' }) state!: string;
  @Field({ description: "The rule's deciding conditions when it started." }) reason!: string;
}

@ObjectType({ description: 'A guardrail replayed over the recorded configuration history. Nothing was recorded by it.' })
@TenantOwned('tenants.read')
export class PolicyReplayType {
  @Field(() => ID) tenantId!: string;
  @Field(() => String, { nullable: true }) policyName!: string | null;
  @Field(() => String, { nullable: true }) policyDisplayName!: string | null;
  @Field(() => String, { nullable: true }) since!: string | null;
  @Field() until!: string;
  @Field(() => Int) eventsRead!: number;
  @Field(() => Int) resourcesEvaluated!: number;
  @Field(() => [ReplayIntervalType]) intervals!: ReplayIntervalType[];
}

const toScore = (tenantId: string, score: PostureAsOf['score'], coverage: Omit<PostureAsOf['coverage'], 'perResource'>): ComplianceScoreType => ({
  tenantId,
  coverage: toCoverageSummary(coverage),
  overall: score.overall,
  baselines: score.baselines.map((b) => ({ ...b })),
  frameworks: score.frameworks.map((f) => ({ ...f, controls: f.controls.map((c) => ({ ...c })) })),
});

@Resolver(() => PostureAsOfType)
export class HistoryResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => PostureAsOfType, {
    description: 'The tenant exactly as it was at an instant: resources and their configuration, baselines, exemptions in force, compliance per guardrail and resource, open findings and incidents.',
  })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async postureAsOf(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('asOf') asOf: string): Promise<PostureAsOfType> {
    const at = instantArg(asOf, 'asOf');
    const posture = await postureAsOf(this.runtime.stores, tenantId, at);
    const { sla } = posture.openIncidents.length ? await incidentPolicyOf(this.runtime.stores, tenantId) : DEFAULT_INCIDENT_POLICY;
    return {
      tenantId,
      asOf: posture.asOf,
      position: posture.position,
      events: posture.events,
      resourceCount: posture.resources.length,
      guardrails: posture.guardrails ? toPolicy(posture.guardrails) : null,
      exemptionsInForce: posture.exemptionsInForce.map((e) => ({ ...e })),
      openFindings: posture.openFindings.map(toFinding),
      openIncidents: posture.openIncidents.map((i) => toIncident(i, sla, at)),
      score: toScore(tenantId, posture.score, posture.coverage),
      posture,
    };
  }

  @ResolveField(() => [ResourceType], { description: 'Its resources then, by id; `type` filters (e.g. microsoft.web/sites).' })
  resources(
    @Parent() parent: PostureAsOfType,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 100 }) first: number,
    @Args('offset', { type: () => Int, nullable: true, defaultValue: 0 }) offset: number,
    @Args('type', { nullable: true }) type?: string,
  ): ResourceType[] {
    if (first < 0 || first > 1_000 || offset < 0) throw badInput('first is 0..1000 and offset not negative');
    const wanted = type?.toLowerCase();
    return parent.posture.resources
      .filter((r) => !wanted || r.type === wanted)
      .slice(offset, offset + first)
      .map(toResource);
  }

  @ResolveField(() => [ComplianceStateAsOfType], { description: 'Compliance per guardrail and resource then; `state` filters (e.g. nonCompliant).' })
  compliance(
    @Parent() parent: PostureAsOfType,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 500 }) first: number,
    @Args('offset', { type: () => Int, nullable: true, defaultValue: 0 }) offset: number,
    @Args('state', { nullable: true }) state?: string,
  ): ComplianceStateAsOfType[] {
    if (first < 0 || first > 5_000 || offset < 0) throw badInput('first is 0..5000 and offset not negative');
    return parent.posture.compliance
      .filter((c) => !state || c.state === state)
      .slice(offset, offset + first)
      .map((c) => ({ ...c }));
  }

  @Query(() => [ScorePointType], { description: `The compliance score at the end of each hour or day of [from, to), at most ${MAX_SERIES_POINTS} points.` })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async complianceSeries(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('bucket', { type: () => SeriesBucket, defaultValue: SeriesBucket.DAY }) bucket: SeriesBucket,
  ): Promise<ScorePointType[]> {
    const { start, end } = periodArgs(from, to);
    try {
      const series = await complianceSeries(this.runtime.stores, tenantId, { from: start, to: end, bucket });
      return series.map((p) => ({ at: p.at, ...toScore(tenantId, p.score, p.coverage) }));
    } catch (error) {
      if (error instanceof RangeError) throw badInput(error.message);
      throw error;
    }
  }

  @Query(() => [StandardScorePointType], {
    description: `A standard's control states and score at the end of each hour or day of [from, to), at most ${MAX_SERIES_POINTS} points: its compliance over time.`,
  })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async standardComplianceSeries(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('standardId', { type: () => ID }) standardId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('bucket', { type: () => SeriesBucket, defaultValue: SeriesBucket.DAY }) bucket: SeriesBucket,
  ): Promise<StandardScorePointType[]> {
    const { start, end } = periodArgs(from, to);
    if (!builtInCatalog().standards?.has(standardId)) throw badInput(`no standard ${standardId}: see the standards query`);
    try {
      const series = await standardComplianceSeries(this.runtime.stores, tenantId, standardId, { from: start, to: end, bucket });
      return (series ?? []).map((p) => ({ at: p.at, assigned: p.assigned, score: p.score, controlStates: { ...p.states } }));
    } catch (error) {
      if (error instanceof RangeError) throw badInput(error.message);
      throw error;
    }
  }

  @Query(() => PolicyReplayType, {
    description: 'Evaluates an Azure Policy definition that was never assigned against the recorded configuration history: which resources would have broken it, from when to when. Records nothing.',
  })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async replayPolicy(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('definitionJson', { description: 'The definition: a built-in export, a Landing Zone file, or { "policyRule": … }.' }) definitionJson: string,
    @Args('parametersJson', { nullable: true, description: '{"effect": "Deny"} or {"effect": {"value": "Deny"}}' }) parametersJson?: string,
    @Args('since', { nullable: true, description: 'Only intervals still running at or after this time.' }) since?: string,
    @Args('until', { nullable: true, description: 'Replay up to this time (default now).' }) until?: string,
  ): Promise<PolicyReplayType> {
    if (Buffer.byteLength(definitionJson) > MAX_REPLAY_DEFINITION_BYTES) throw badInput(`definitionJson is larger than ${MAX_REPLAY_DEFINITION_BYTES} bytes`);
    const definition = jsonArg(definitionJson, 'definitionJson');
    const read = parameterValuesOf(parametersJson ? jsonArg(parametersJson, 'parametersJson') : {});
    if (!read.ok) throw badInput(`parametersJson ${read.reason}`);
    const parameters = read.values;
    const sinceAt = since ? instantArg(since, 'since') : undefined;
    const untilAt = until ? instantArg(until, 'until') : undefined;
    if (sinceAt && untilAt && sinceAt > untilAt) throw badInput('since comes before until');
    const result = await replayPolicy(this.runtime.stores, tenantId, definition, { parameters, since: sinceAt, until: untilAt });
    if (!result.ok) {
      throw badInput(`the definition cannot be evaluated (${result.refusal.reason}): ${result.refusal.message}`, { reason: result.refusal.reason, path: result.refusal.path });
    }
    const r = result.replay;
    return {
      tenantId,
      policyName: r.policy.name,
      policyDisplayName: r.policy.displayName,
      since: r.since,
      until: r.until,
      eventsRead: r.eventsRead,
      resourcesEvaluated: r.resourcesEvaluated,
      intervals: r.intervals.map((i) => ({ resourceId: i.resourceId, resourceType: i.resourceType, from: i.from, to: i.to, state: i.state, reason: i.reason })),
    };
  }
}
