// Tenants, SOC team assignments and API keys over GraphQL. Every operation declares its
// authorization rule; the schema transform enforces it before the resolver runs. Tenant commands are
// judged by the tenant decider (its standing rule included), API keys by tenancy's use cases.
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { humanOf, type Permission } from '@rampart/auth';
import { parseInstant, type CommandContext, type CommandOutcome, type DomainEvent } from '@rampart/event-sourcing';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import { answerCacheOf, answerKey } from '@rampart/platform';
import { issueApiKey, revokeApiKey } from '@rampart/tenancy-application';
import {
  tenantDecider,
  tenantStreamId,
  type ApiKeyEntry,
  type TenancyCommand,
  type TenantDirectoryEntry,
} from '@rampart/tenancy';
import { Authorize } from '../authorization/rules';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { DecideCommand } from './commands';
import { decodeCursor, pageSize, toConnection } from './connection';
import {
  AddCloudConnectionInput,
  OffboardTenantInput,
  RemoveCloudConnectionInput,
  TenantChangeResult,
  ApiKeyConnection,
  ApiKeyType,
  AssignSocTeamInput,
  AssignSocTeamResult,
  IssueApiKeyInput,
  IssueApiKeyResult,
  OnboardTenantInput,
  OnboardTenantResult,
  RevokeApiKeyInput,
  RevokeApiKeyResult,
  TenantConnection,
  TenantFilter,
  TenantType,
} from './types';

/** The read model's document as the GraphQL type (which wants mutable arrays). */
export const toTenant = (doc: TenantDirectoryEntry): TenantType => ({
  ...doc,
  socTeams: [...doc.socTeams],
  connections: doc.connections.map((c) => ({ ...c, subscriptions: [...c.subscriptions], managementGroups: [...c.managementGroups] })),
});

const rejection = (outcome: CommandOutcome<DomainEvent>) =>
  outcome.ok ? undefined : { code: outcome.rejection.code, message: outcome.rejection.message ?? null };

@Resolver(() => TenantType)
export class TenancyResolver {
  constructor(
    @Inject(RUNTIME) private readonly runtime: ApiRuntime,
    private readonly commands: CommandBus,
  ) {}

  private commandContext(ctx: RequestContext, permission: Permission, tenantId: string): CommandContext {
    return { tenantId, actor: ctx.scope.actorFor(permission, tenantId), correlationId: ctx.correlationId, now: new Date() };
  }

  @Query(() => TenantConnection, { description: 'Tenants the caller can read, by tenant id.' })
  @Authorize({ kind: 'list', permission: 'tenants.read', tenantArg: 'filter.tenantId' })
  async tenants(
    @Context() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => TenantFilter, nullable: true }) filter?: TenantFilter,
  ): Promise<TenantConnection> {
    const limit = pageSize(first);
    const reach = ctx.scope.reach('tenants.read');
    const params: unknown[] = [decodeCursor(after) ?? '', limit + 1];
    let where = 'id > $1';
    if (!reach.all) {
      params.push([...reach.tenants].sort()); // sorted: one kept page for every caller with this reach
      where += ` AND id = ANY($${params.length}::text[])`;
    }
    for (const [column, value] of [
      ['id', filter?.tenantId],
      ["doc->>'sector'", filter?.sector],
      ["doc->>'status'", filter?.status],
    ] as const) {
      if (value === undefined || value === null) continue;
      params.push(value);
      where += ` AND ${column} = $${params.length}`;
    }
    // A page of the directory is kept while the read side stands still; the key holds the caller's reach.
    return answerCacheOf(this.runtime.stores).get(
      answerKey('tenants', where, params),
      async () => {
        const { rows } = await this.runtime.stores.readModels.query<{ doc: TenantDirectoryEntry }>(
          `SELECT doc FROM "${READ_MODEL_SCHEMA}".tenant_directory WHERE ${where} ORDER BY id LIMIT $2`,
          params,
        );
        return { value: toConnection(rows.map((r) => toTenant(r.doc)), limit, (t) => t.tenantId) };
      },
      ctx.readSideVersion(),
    );
  }

  @Query(() => TenantType, { nullable: true })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async tenant(@Context() ctx: RequestContext, @Args('tenantId', { type: () => ID }) tenantId: string): Promise<TenantType | null> {
    const entry = await ctx.loaders.tenant.load(tenantId);
    return entry ? toTenant(entry) : null;
  }

  @Mutation(() => OnboardTenantResult)
  @Authorize({ kind: 'tenant', permission: 'tenants.manage', tenantArg: 'input.tenantId' })
  async onboardTenant(@Context() ctx: RequestContext, @Args('input') input: OnboardTenantInput): Promise<typeof OnboardTenantResult> {
    const outcome = await this.commands.execute(
      new DecideCommand(tenantDecider, tenantStreamId(input.tenantId), { kind: 'OnboardTenant', ...input }, this.commandContext(ctx, 'tenants.manage', input.tenantId)),
    );
    return rejection(outcome) ?? { tenantId: input.tenantId, tenant: await ctx.loaders.tenant.load(input.tenantId).then((t) => (t ? toTenant(t) : null)) };
  }

  @Mutation(() => AssignSocTeamResult)
  @Authorize({ kind: 'tenant', permission: 'socTeams.manage', tenantArg: 'input.tenantId' })
  async assignSocTeam(@Context() ctx: RequestContext, @Args('input') input: AssignSocTeamInput): Promise<typeof AssignSocTeamResult> {
    const outcome = await this.commands.execute(
      new DecideCommand(
        tenantDecider,
        tenantStreamId(input.tenantId),
        { kind: 'AssignSocTeam', tenantId: input.tenantId, socTeam: input.socTeam },
        this.commandContext(ctx, 'socTeams.manage', input.tenantId),
        { expectedRevision: input.expectedRevision ?? undefined },
      ),
    );
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { tenantId: input.tenantId, socTeam: input.socTeam, revision: outcome.append?.nextExpectedRevision ?? -1 };
  }

  private async changeTenant(ctx: RequestContext, permission: Permission, tenantId: string, command: TenancyCommand): Promise<typeof TenantChangeResult> {
    const outcome = await this.commands.execute(new DecideCommand(tenantDecider, tenantStreamId(tenantId), command, this.commandContext(ctx, permission, tenantId)));
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { tenantId, revision: outcome.append?.nextExpectedRevision ?? -1 };
  }

  @Mutation(() => TenantChangeResult, { description: "Connects a tenant's Azure subscriptions and/or management groups for ingestion." })
  @Authorize({ kind: 'tenant', permission: 'connections.manage', tenantArg: 'input.tenantId' })
  addCloudConnection(@Context() ctx: RequestContext, @Args('input') input: AddCloudConnectionInput): Promise<typeof TenantChangeResult> {
    return this.changeTenant(ctx, 'connections.manage', input.tenantId, { kind: 'AddCloudConnection', ...input });
  }

  @Mutation(() => TenantChangeResult)
  @Authorize({ kind: 'tenant', permission: 'connections.manage', tenantArg: 'input.tenantId' })
  removeCloudConnection(@Context() ctx: RequestContext, @Args('input') input: RemoveCloudConnectionInput): Promise<typeof TenantChangeResult> {
    return this.changeTenant(ctx, 'connections.manage', input.tenantId, { kind: 'RemoveCloudConnection', ...input });
  }

  @Mutation(() => TenantChangeResult, { description: 'Ends a tenancy: its history stays; nothing more changes.' })
  @Authorize({ kind: 'tenant', permission: 'tenants.manage', tenantArg: 'input.tenantId' })
  offboardTenant(@Context() ctx: RequestContext, @Args('input') input: OffboardTenantInput): Promise<typeof TenantChangeResult> {
    return this.changeTenant(ctx, 'tenants.manage', input.tenantId, { kind: 'OffboardTenant', ...input });
  }

  @Query(() => ApiKeyConnection, { description: "A tenant's API keys (never their secrets)." })
  @Authorize({ kind: 'tenant', permission: 'apiKeys.read', tenantArg: 'tenantId' })
  async apiKeys(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<ApiKeyConnection> {
    const limit = pageSize(first);
    const { rows } = await this.runtime.stores.readModels.query<{ doc: ApiKeyEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".api_key_directory WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [tenantId, decodeCursor(after) ?? '', limit + 1],
    );
    return toConnection(
      rows.map(({ doc }) => ({ ...doc, roles: [...doc.roles] })),
      limit,
      (k) => k.keyId,
    );
  }

  @Mutation(() => IssueApiKeyResult, { description: 'Issues an API key; the secret is in the answer and nowhere else.' })
  @Authorize({ kind: 'tenant', permission: 'apiKeys.manage', tenantArg: 'input.tenantId' })
  async issueApiKey(@Context() ctx: RequestContext, @Args('input') input: IssueApiKeyInput): Promise<typeof IssueApiKeyResult> {
    const expiresAt = parseInstant(input.expiresAt);
    if (!expiresAt) return { code: 'invalid-expiry', message: 'expiresAt must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' };
    const outcome = await issueApiKey({ eventStore: this.runtime.stores.eventStore }, this.commandContext(ctx, 'apiKeys.manage', input.tenantId), {
      name: input.name,
      roles: input.roles,
      expiresAt,
      issuer: { kind: ctx.principal.kind, id: humanOf(ctx.principal), grantsInTenant: ctx.scope.grantsIn(input.tenantId) },
    });
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { keyId: outcome.value.keyId, tenantId: input.tenantId, secret: outcome.value.token, expiresAt: expiresAt.toISOString() };
  }

  @Mutation(() => RevokeApiKeyResult, { description: 'Revokes an API key; it is refused from the next request on.' })
  @Authorize({ kind: 'tenant', permission: 'apiKeys.manage', tenantArg: 'input.tenantId' })
  async revokeApiKey(@Context() ctx: RequestContext, @Args('input') input: RevokeApiKeyInput): Promise<typeof RevokeApiKeyResult> {
    if (!/^[a-z0-9]{12}$/.test(input.keyId)) return { code: 'api-key-not-found', message: null };
    const outcome = await revokeApiKey({ eventStore: this.runtime.stores.eventStore }, this.commandContext(ctx, 'apiKeys.manage', input.tenantId), {
      keyId: input.keyId,
      reason: input.reason,
      by: ctx.principal.kind,
    });
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { keyId: input.keyId, tenantId: input.tenantId };
  }
}

@Resolver(() => ApiKeyType)
export class ApiKeyFieldsResolver {
  @ResolveField(() => TenantType, { nullable: true })
  async tenant(@Parent() key: ApiKeyType, @Context() ctx: RequestContext): Promise<TenantType | null> {
    const entry = await ctx.loaders.tenant.load(key.tenantId);
    return entry ? toTenant(entry) : null;
  }
}
