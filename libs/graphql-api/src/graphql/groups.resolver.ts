// Tenant groups over GraphQL: the provider's named sets of its customers, and the baselines a group
// gives every member. Platform admins change them; SOC staff read them, each seeing only the members
// within its reach (a group spans customers). Every change goes through
// tenancy's and guardrails' use cases, as the CLI's do.
import { Inject } from '@nestjs/common';
import { Args, Context, createUnionType, Field, Float, ID, InputType, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { CommandOutcome, DomainEvent } from '@rampart/event-sourcing';
import type { TenantGroupEntry } from '@rampart/tenancy';
import { groupCompliance } from '@rampart/guardrails';
import { changeGroupGuardrails, groupGuardrailsOf, tenantComplianceScore } from '@rampart/guardrails-application';
import { complianceSeries, MAX_SERIES_POINTS } from '@rampart/platform';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import { changeTenantGroup } from '@rampart/tenancy-application';
import { Authorize, InheritsAuthorization } from '../authorization/rules';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { SeriesBucket } from './history.resolver';
import { badInput, jsonObjectArg as jsonObject, periodArgs } from './inputs';
import { providerActor } from './library.resolver';
import { Rejection } from './types';

@ObjectType()
@InheritsAuthorization()
export class TenantGroupMemberType {
  @Field(() => ID) tenantId!: string;
  @Field() joinedAt!: string;
}

@ObjectType({ description: 'A baseline a group gives every member, held by each as `grp-<group>-<assignment>`.' })
@InheritsAuthorization()
export class GroupAssignmentType {
  @Field(() => ID) assignmentId!: string;
  @Field(() => ID, { description: 'A library artifact without a version follows its latest.' }) baselineId!: string;
  @Field() scope!: string;
  @Field({ description: 'Values per guardrail (JSON).' }) parameters!: string;
  @Field({ description: "An initiative's parameters (JSON object)." }) initiativeParameters!: string;
}

@ObjectType({ description: "A member's compliance now: the SOC's ranking of who fails most." })
@InheritsAuthorization()
export class GroupMemberComplianceType {
  @Field(() => ID) tenantId!: string;
  @Field(() => Int) compliant!: number;
  @Field(() => Int) nonCompliant!: number;
  @Field(() => Int, { description: 'Resource/guardrail pairs that could not be evaluated.' }) error!: number;
  @Field(() => Float, { nullable: true, description: 'compliant / (compliant + nonCompliant + error); null when nothing applicable was evaluated.' }) score!: number | null;
}

@ObjectType({ description: 'A framework control across the members: in how many it fails.' })
@InheritsAuthorization()
export class GroupControlComplianceType {
  @Field() framework!: string;
  @Field() control!: string;
  @Field(() => Int, { description: 'Members with at least one non-compliant pair for it.' }) failingTenants!: number;
  @Field(() => Int, { description: 'Members it is evaluated in.' }) tenants!: number;
  @Field(() => Int) nonCompliant!: number;
}

@ObjectType({ description: "A group's compliance now, across its members." })
@InheritsAuthorization()
export class GroupComplianceType {
  @Field(() => [GroupMemberComplianceType], { description: 'Failing most first.' }) members!: GroupMemberComplianceType[];
  @Field(() => [GroupControlComplianceType], { description: 'Failing in the most members first.' }) controls!: GroupControlComplianceType[];
}

@ObjectType({ description: "A group's compliance at the end of an hour or a day." })
@InheritsAuthorization()
export class GroupCompliancePointType {
  @Field() at!: string;
  @Field(() => GroupComplianceType) compliance!: GroupComplianceType;
}

@ObjectType({ description: "A named set of the provider's customers (by sector, contract tier, region); a tenant may be in several." })
@InheritsAuthorization()
export class TenantGroupType {
  @Field(() => ID) groupId!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field() createdAt!: string;
  @Field(() => [TenantGroupMemberType]) members!: TenantGroupMemberType[];
  @Field(() => [GroupAssignmentType]) assignments!: GroupAssignmentType[];
}

@Resolver(() => TenantGroupType)
export class TenantGroupComplianceResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @ResolveField(() => GroupComplianceType, { description: 'Its members\' compliance now: who fails most, which controls fail in the most members.' })
  async compliance(@Parent() group: TenantGroupType): Promise<GroupComplianceType> {
    const scores = await Promise.all(group.members.map(async (m) => ({ tenantId: m.tenantId, score: await tenantComplianceScore(this.runtime.stores, m.tenantId) })));
    const result = groupCompliance(scores);
    return { members: result.members.map((m) => ({ ...m })), controls: result.controls.map((c) => ({ ...c })) };
  }
}

@ObjectType({ description: 'A change to a tenant group was recorded; members follow through the worker.' })
@InheritsAuthorization()
export class TenantGroupChanged {
  @Field(() => ID) groupId!: string;
  @Field(() => Int, { description: 'Events recorded (0: it already was so).' }) recorded!: number;
}

export const TenantGroupResult = createUnionType({
  name: 'TenantGroupResult',
  types: () => [TenantGroupChanged, Rejection] as const,
  resolveType: (value: object) => ('code' in value ? Rejection : TenantGroupChanged),
});

@InputType()
export class CreateTenantGroupInput {
  @Field(() => ID, { description: 'Lowercase letters, digits and dashes, up to 30.' }) groupId!: string;
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
}

@InputType()
export class TenantGroupMemberInput {
  @Field(() => ID) groupId!: string;
  @Field(() => ID) tenantId!: string;
  @Field({ nullable: true, description: 'Why it leaves (required to remove, 3-500 characters).' }) reason?: string;
}

@InputType()
export class AssignBaselineToGroupInput {
  @Field(() => ID) groupId!: string;
  @Field(() => ID, { description: 'Lowercase letters, digits and dashes, up to 28.' }) assignmentId!: string;
  @Field(() => ID, { description: 'A baseline, standard, or provider library definition or initiative (a tenant’s own library is not offered to groups).' }) baselineId!: string;
  @Field({ nullable: true }) scope?: string;
  @Field({ nullable: true, description: 'Values per guardrail id, as JSON.' }) parametersJson?: string;
  @Field({ nullable: true, description: "For an initiative: its parameters' values, as JSON." }) initiativeParametersJson?: string;
}

@InputType()
export class UnassignBaselineFromGroupInput {
  @Field(() => ID) groupId!: string;
  @Field(() => ID) assignmentId!: string;
}

const result = (groupId: string, outcome: CommandOutcome<DomainEvent>): typeof TenantGroupResult =>
  outcome.ok ? { groupId, recorded: outcome.events.length } : { code: outcome.rejection.code, message: outcome.rejection.message ?? null };


@Resolver()
export class TenantGroupsResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => [TenantGroupType], {
    description: "The provider's tenant groups, by id, with their members and assignments. SOC staff see the groups with a member in their reach, and those members only.",
  })
  @Authorize({ kind: 'global', permission: 'groups.read' })
  async tenantGroups(@Context() ctx: RequestContext): Promise<TenantGroupType[]> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: TenantGroupEntry }>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".tenant_groups ORDER BY id`);
    return (await Promise.all(rows.map(({ doc }) => this.toGroup(ctx, doc)))).filter((g): g is TenantGroupType => g !== null);
  }

  @Query(() => TenantGroupType, { nullable: true, description: 'Null: no such group, or (for SOC staff) none of its members is in reach.' })
  @Authorize({ kind: 'global', permission: 'groups.read' })
  async tenantGroup(@Context() ctx: RequestContext, @Args('groupId', { type: () => ID }) groupId: string): Promise<TenantGroupType | null> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: TenantGroupEntry }>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".tenant_groups WHERE id = $1`, [groupId]);
    return rows[0] ? this.toGroup(ctx, rows[0].doc) : null;
  }

  @Query(() => [GroupCompliancePointType], {
    description: `A group's compliance at the end of each hour or day of [from, to), at most ${MAX_SERIES_POINTS} points: its members now, each counted from when it joined (empty for a group that does not exist).`,
  })
  @Authorize({ kind: 'global', permission: 'groups.read' })
  async tenantGroupComplianceSeries(
    @Context() ctx: RequestContext,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('bucket', { type: () => SeriesBucket, defaultValue: SeriesBucket.DAY }) bucket: SeriesBucket,
  ): Promise<GroupCompliancePointType[]> {
    const { start, end } = periodArgs(from, to);
    const group = await this.tenantGroup(ctx, groupId);
    if (!group) return [];
    try {
      const series = await Promise.all(group.members.map(async (m) => ({ member: m, points: await complianceSeries(this.runtime.stores, m.tenantId, { from: start, to: end, bucket }) })));
      const instants = series[0]?.points.map((p) => p.at) ?? [];
      return instants.map((at, i) => {
        const result = groupCompliance(series.filter((s) => s.member.joinedAt <= at).map((s) => ({ tenantId: s.member.tenantId, score: s.points[i].score })));
        return { at, compliance: { members: result.members.map((m) => ({ ...m })), controls: result.controls.map((c) => ({ ...c })) } };
      });
    } catch (error) {
      if (error instanceof RangeError) throw badInput(error.message);
      throw error;
    }
  }

  @Mutation(() => TenantGroupResult)
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async createTenantGroup(@Context() ctx: RequestContext, @Args('input') input: CreateTenantGroupInput): Promise<typeof TenantGroupResult> {
    return result(input.groupId, await changeTenantGroup(this.runtime.stores.eventStore, input.groupId, { kind: 'CreateTenantGroup', groupId: input.groupId, name: input.name, description: input.description }, this.context(ctx)));
  }

  @Mutation(() => TenantGroupResult, { description: 'A tenant joins: it gains every assignment of the group (recorded in its own policy by the worker).' })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async addTenantToGroup(@Context() ctx: RequestContext, @Args('input') input: TenantGroupMemberInput): Promise<typeof TenantGroupResult> {
    return result(input.groupId, await changeTenantGroup(this.runtime.stores.eventStore, input.groupId, { kind: 'AddTenantToGroup', tenantId: input.tenantId }, this.context(ctx)));
  }

  @Mutation(() => TenantGroupResult, { description: 'A tenant leaves: it loses the assignments the group gave it.' })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async removeTenantFromGroup(@Context() ctx: RequestContext, @Args('input') input: TenantGroupMemberInput): Promise<typeof TenantGroupResult> {
    return result(input.groupId, await changeTenantGroup(this.runtime.stores.eventStore, input.groupId, { kind: 'RemoveTenantFromGroup', tenantId: input.tenantId, reason: input.reason ?? '' }, this.context(ctx)));
  }

  @Mutation(() => TenantGroupResult, { description: 'Assigns a baseline to every member of the group, now and as tenants join.' })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async assignBaselineToGroup(@Context() ctx: RequestContext, @Args('input') input: AssignBaselineToGroupInput): Promise<typeof TenantGroupResult> {
    const parameters = jsonObject(input.parametersJson, 'parametersJson') as Record<string, Record<string, unknown>> | undefined;
    const initiativeParameters = jsonObject(input.initiativeParametersJson, 'initiativeParametersJson');
    const outcome = await changeGroupGuardrails(
      this.runtime.stores.eventStore,
      { kind: 'AssignBaselineToGroup', groupId: input.groupId, assignmentId: input.assignmentId, baselineId: input.baselineId, scope: input.scope ?? '*', parameters, initiativeParameters },
      this.context(ctx),
    );
    return result(input.groupId, outcome);
  }

  @Mutation(() => TenantGroupResult, { description: "Takes a group's assignment from every member." })
  @Authorize({ kind: 'global', permission: 'groups.manage' })
  async unassignBaselineFromGroup(@Context() ctx: RequestContext, @Args('input') input: UnassignBaselineFromGroupInput): Promise<typeof TenantGroupResult> {
    return result(input.groupId, await changeGroupGuardrails(this.runtime.stores.eventStore, { kind: 'UnassignBaselineFromGroup', groupId: input.groupId, assignmentId: input.assignmentId }, this.context(ctx)));
  }

  private context(ctx: RequestContext) {
    return { actor: providerActor(ctx), correlationId: ctx.correlationId, now: new Date() };
  }

  /** The group as the caller may see it: its members within the caller's reach (null when none is, for staff reaching only some tenants). */
  private async toGroup(ctx: RequestContext, doc: TenantGroupEntry): Promise<TenantGroupType | null> {
    const reach = ctx.scope.reach('tenants.read');
    const members = reach.all ? doc.members : doc.members.filter((m) => reach.tenants.has(m.tenantId));
    if (!reach.all && members.length === 0) return null;
    const assignments = await groupGuardrailsOf(this.runtime.stores.eventStore, doc.groupId);
    return {
      groupId: doc.groupId,
      name: doc.name,
      description: doc.description,
      createdAt: doc.createdAt,
      members: members.map((m) => ({ ...m })),
      assignments: [...assignments.assignments.values()].map((a) => ({
        assignmentId: a.assignmentId,
        baselineId: a.baselineId,
        scope: a.scope,
        parameters: JSON.stringify(a.parameters),
        initiativeParameters: JSON.stringify(a.initiativeParameters ?? {}),
      })),
    };
  }
}
