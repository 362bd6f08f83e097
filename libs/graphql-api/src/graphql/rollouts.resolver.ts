// Staged rollouts over GraphQL: what a baseline would find in a group's tenants before it is
// enforced, the plan that records it with its rings, each ring's decision, and the rollback.
// Platform admins only (a rollout spans customers, as its group does); every change goes through
// guardrails' use cases, as the CLI's do, and the worker's reaction brings the tenants along.
import { Inject } from '@nestjs/common';
import { Args, Context, createUnionType, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { humanOf } from '@rampart/auth';
import type { Rollout } from '@rampart/guardrails';
import { changeRollout, groupMembersNow, listRollouts, rolloutOf } from '@rampart/guardrails-application';
import { planRollout, rolloutWhatIf, type TenantRolloutWhatIf } from '@rampart/platform';
import { Authorize, InheritsAuthorization } from '../authorization/rules';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { badInput, jsonObjectArg as jsonObject } from './inputs';
import { providerActor } from './library.resolver';
import { Rejection } from './types';

@ObjectType()
@InheritsAuthorization()
export class RolloutRingType {
  @Field(() => Int) index!: number;
  @Field() name!: string;
  @Field(() => [ID]) tenants!: string[];
  @Field({ description: 'Its tenants hold the baseline (and do until a rollback).' }) approved!: boolean;
  @Field(() => String, { nullable: true, description: 'Who decided it goes in.' }) approvedBy!: string | null;
}

@ObjectType({ description: 'A breach (or an evaluation error) replaying the baseline found.' })
@InheritsAuthorization()
export class RolloutWhatIfResourceType {
  @Field(() => ID) resourceId!: string;
  @Field() resourceType!: string;
  @Field(() => ID) guardrailId!: string;
  @Field({ description: 'nonCompliant | error' }) state!: string;
  @Field() since!: string;
  @Field({ description: 'Still so at the end of the replay.' }) now!: boolean;
}

@ObjectType({ description: "What the baseline would find in one tenant's recorded history." })
@InheritsAuthorization()
export class RolloutTenantWhatIfType {
  @Field(() => ID) tenantId!: string;
  @Field(() => Int) nonCompliantNow!: number;
  @Field(() => Int) nonCompliantEver!: number;
  @Field(() => Int) errors!: number;
  @Field(() => String, { nullable: true }) since!: string | null;
  @Field(() => [RolloutWhatIfResourceType], { description: 'Still breaking it first; at most 100 (in the plan recorded: counts only).' }) resources!: RolloutWhatIfResourceType[];
  @Field(() => [String], { description: 'Guardrails the engine could not replay, with why.' }) refused!: string[];
}

@ObjectType({ description: 'A baseline rolled out to a tenant group in rings, each a recorded decision.' })
@InheritsAuthorization()
export class RolloutType {
  @Field(() => ID) rolloutId!: string;
  @Field({ description: 'planned | rolling-out | complete | rolled-back' }) status!: string;
  @Field(() => ID) groupId!: string;
  @Field(() => ID, { description: 'Tenants hold it as rol-<rollout>-<assignment>.' }) assignmentId!: string;
  @Field(() => ID) baselineId!: string;
  @Field() scope!: string;
  @Field({ description: 'False: findings that existed before it open no incident.' }) raiseIncidentsForExisting!: boolean;
  @Field() plannedBy!: string;
  @Field(() => [RolloutRingType]) rings!: RolloutRingType[];
  @Field(() => [RolloutTenantWhatIfType], { description: 'The what-if recorded with the plan.' }) whatIf!: RolloutTenantWhatIfType[];
  @Field(() => String, { nullable: true }) rolledBackBy!: string | null;
  @Field(() => String, { nullable: true }) rollbackReason!: string | null;
}

@ObjectType({ description: 'A rollout was planned or changed; tenants follow through the worker.' })
@InheritsAuthorization()
export class RolloutChanged {
  @Field(() => ID) rolloutId!: string;
  @Field() status!: string;
  @Field(() => [RolloutTenantWhatIfType], { description: 'For a plan: what it would find in each tenant (with the resources).' }) whatIf!: RolloutTenantWhatIfType[];
}

export const RolloutResult = createUnionType({
  name: 'RolloutResult',
  types: () => [RolloutChanged, Rejection] as const,
  resolveType: (value: object) => ('code' in value ? Rejection : RolloutChanged),
});

@InputType()
export class RolloutRingInput {
  @Field({ description: 'Lowercase letters, digits and dashes, up to 31.' }) name!: string;
  @Field(() => [ID], { description: 'Members of the group; ["*"]: every member the other rings do not name.' }) tenants!: string[];
}

@InputType()
export class RolloutWhatIfInput {
  @Field(() => ID) groupId!: string;
  @Field(() => ID, { description: 'A baseline, standard, or provider library definition or initiative.' }) baselineId!: string;
  @Field({ nullable: true, description: 'Values per guardrail id, as JSON.' }) parametersJson?: string;
  @Field({ nullable: true, description: "For an initiative: its parameters' values, as JSON." }) initiativeParametersJson?: string;
}

@InputType()
export class PlanRolloutInput extends RolloutWhatIfInput {
  @Field(() => ID, { description: 'Lowercase letters, digits and dashes, up to 24.' }) rolloutId!: string;
  @Field(() => ID, { description: 'Lowercase letters, digits and dashes, up to 28.' }) assignmentId!: string;
  @Field({ nullable: true }) scope?: string;
  @Field(() => [RolloutRingInput], { description: 'In order: a canary set first, then the rest. Every member of the group in one ring.' }) rings!: RolloutRingInput[];
  @Field({ defaultValue: false, description: 'Raise incidents for what the baseline finds on arrival (it existed before it). Default: no.' }) raiseIncidentsForExisting!: boolean;
}

@InputType()
export class ApproveRolloutRingInput {
  @Field(() => ID) rolloutId!: string;
  @Field(() => Int, { description: 'The next ring, counted from 0.' }) ring!: number;
}

@InputType()
export class RollBackRolloutInput {
  @Field(() => ID) rolloutId!: string;
  @Field() reason!: string;
}


const toWhatIf = (w: TenantRolloutWhatIf | (Omit<TenantRolloutWhatIf, 'resources' | 'refused'> & Partial<TenantRolloutWhatIf>)): RolloutTenantWhatIfType => ({
  tenantId: w.tenantId,
  nonCompliantNow: w.nonCompliantNow,
  nonCompliantEver: w.nonCompliantEver,
  errors: w.errors,
  since: w.since,
  resources: (w.resources ?? []).map((r) => ({ ...r })),
  refused: (w.refused ?? []).map((r) => `${r.guardrailId}: ${r.reason}`),
});

export const toRollout = (rolloutId: string, r: Rollout): RolloutType | null => {
  if (!r.plan) return null;
  const approvedBy = new Map(r.approved.map((a) => [a.ring, a.approvedBy]));
  return {
    rolloutId,
    status: r.status,
    groupId: r.plan.groupId,
    assignmentId: r.plan.assignmentId,
    baselineId: r.plan.baselineId,
    scope: r.plan.scope,
    raiseIncidentsForExisting: r.plan.raiseIncidentsForExisting,
    plannedBy: r.plan.plannedBy,
    rings: r.plan.rings.map((ring, index) => ({ index, name: ring.name, tenants: [...ring.tenants], approved: approvedBy.has(index), approvedBy: approvedBy.get(index) ?? null })),
    whatIf: r.plan.whatIf.map(toWhatIf),
    rolledBackBy: r.rolledBack?.by ?? null,
    rollbackReason: r.rolledBack?.reason ?? null,
  };
};

@Resolver()
export class RolloutsResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => [RolloutType], { description: "The provider's staged rollouts, newest first." })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async rollouts(): Promise<RolloutType[]> {
    return (await listRollouts(this.runtime.stores.eventStore)).flatMap((r) => toRollout(r.rolloutId, r) ?? []);
  }

  @Query(() => RolloutType, { nullable: true })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async rollout(@Args('rolloutId', { type: () => ID }) rolloutId: string): Promise<RolloutType | null> {
    return toRollout(rolloutId, await rolloutOf(this.runtime.stores.eventStore, rolloutId));
  }

  @Query(() => [RolloutTenantWhatIfType], {
    description: "What a baseline would find in each member of a group, replayed over its recorded history: counts, the resources, since when. Records nothing. Empty for a group that does not exist.",
  })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async rolloutWhatIf(@Args('input') input: RolloutWhatIfInput): Promise<RolloutTenantWhatIfType[]> {
    const members = await groupMembersNow(this.runtime.stores.eventStore, input.groupId);
    if (!members) return [];
    const whatIf = await rolloutWhatIf(this.runtime.stores, {
      tenants: [...members].sort(),
      baselineId: input.baselineId,
      parameters: jsonObject(input.parametersJson, 'parametersJson') as Record<string, Record<string, unknown>> | undefined,
      initiativeParameters: jsonObject(input.initiativeParametersJson, 'initiativeParametersJson'),
    });
    if (!whatIf) throw badInput(`no baseline ${input.baselineId}: see the baselines and standards queries, or the policy library`);
    return whatIf.map(toWhatIf);
  }

  @Mutation(() => RolloutResult, { description: 'Plans a rollout: replays the baseline over each tenant first and records the plan with what it found. Nothing is enforced until a ring is approved.' })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async planRollout(@Context() ctx: RequestContext, @Args('input') input: PlanRolloutInput): Promise<typeof RolloutResult> {
    const { outcome, whatIf } = await planRollout(
      this.runtime.stores,
      {
        rolloutId: input.rolloutId,
        groupId: input.groupId,
        assignmentId: input.assignmentId,
        baselineId: input.baselineId,
        scope: input.scope ?? '*',
        parameters: jsonObject(input.parametersJson, 'parametersJson') as Record<string, Record<string, unknown>> | undefined,
        initiativeParameters: jsonObject(input.initiativeParametersJson, 'initiativeParametersJson'),
        rings: input.rings.map((r) => ({ name: r.name, tenants: r.tenants })),
        raiseIncidentsForExisting: input.raiseIncidentsForExisting,
        plannedBy: humanOf(ctx.principal),
      },
      this.context(ctx),
    );
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { rolloutId: input.rolloutId, status: 'planned', whatIf: whatIf.map(toWhatIf) };
  }

  @Mutation(() => RolloutResult, { description: 'The next ring goes in, by your decision: its tenants hold the baseline from now on.' })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async approveRolloutRing(@Context() ctx: RequestContext, @Args('input') input: ApproveRolloutRingInput): Promise<typeof RolloutResult> {
    return this.change(ctx, input.rolloutId, { kind: 'ApproveRolloutRing', ring: input.ring, approvedBy: humanOf(ctx.principal) });
  }

  @Mutation(() => RolloutResult, { description: 'Takes the baseline from every tenant of the rollout, with the reason.' })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async rollBackRollout(@Context() ctx: RequestContext, @Args('input') input: RollBackRolloutInput): Promise<typeof RolloutResult> {
    return this.change(ctx, input.rolloutId, { kind: 'RollBackRollout', rolledBackBy: humanOf(ctx.principal), reason: input.reason });
  }

  private async change(ctx: RequestContext, rolloutId: string, command: Parameters<typeof changeRollout>[2]): Promise<typeof RolloutResult> {
    const outcome = await changeRollout(this.runtime.stores.eventStore, rolloutId, command, this.context(ctx));
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { rolloutId, status: (await rolloutOf(this.runtime.stores.eventStore, rolloutId)).status, whatIf: [] };
  }

  private context(ctx: RequestContext) {
    return { actor: providerActor(ctx), correlationId: ctx.correlationId, now: new Date() };
  }
}

