import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, ID, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { formatPosition, parsePosition, START, type RecordedEvent } from '@rampart/event-sourcing';
import { ACTION_EVENT_TYPES, INCIDENT_EVENT_TYPES } from '@rampart/incidents';
import { GraphQLError } from 'graphql';
import { pageSize } from './connection';
import { Authorize } from '../authorization/rules';
import { LiveEvents } from '../live/live-events';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { GetPlatformQuery } from './queries';
import { MeType, PlatformType, TenantEventConnection, TenantEventType } from './types';

const SECRET_FIELDS = new Set(['secretSha256']);

export const toTenantEvent = (e: RecordedEvent): TenantEventType => ({
  eventId: e.eventId,
  tenantId: e.metadata.tenantId,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  position: formatPosition(e.globalPosition),
  recordedAt: e.recordedAt,
  occurredAt: e.metadata.occurredAt,
  actorKind: e.metadata.actor.kind,
  actorId: e.metadata.actor.id,
  actorIssuedBy: e.metadata.actor.issuedBy?.id ?? null,
  onBehalfOfTenant: e.metadata.actor.onBehalfOfTenant ?? null,
  correlationId: e.metadata.correlationId,
  data: JSON.stringify(e.data, (key, value) => (SECRET_FIELDS.has(key) ? undefined : value)),
});

const LIVE_INCIDENT_TYPES = [...INCIDENT_EVENT_TYPES, ...ACTION_EVENT_TYPES];

@Resolver()
export class PlatformResolver implements OnModuleDestroy {
  /** Every subscription of this API shares one reader of the log (live/live-events.ts). */
  private readonly live: LiveEvents<TenantEventType>;

  constructor(
    private readonly queries: QueryBus,
    @Inject(RUNTIME) private readonly runtime: ApiRuntime,
  ) {
    this.live = new LiveEvents(runtime.stores.eventStore, { view: toTenantEvent, log: runtime.log });
  }

  /** On the API's close, after its sockets (start-api.ts): the reader stops before the stores close. */
  onModuleDestroy(): Promise<void> {
    return this.live.close();
  }

  @Query(() => MeType, { description: 'Who the API thinks the caller is, and what it may reach.' })
  @Authorize({ kind: 'self' })
  me(@Context() ctx: RequestContext): MeType {
    const reach = ctx.scope.reach('tenants.read');
    return {
      kind: ctx.principal.kind,
      id: ctx.principal.id,
      displayName: ctx.principal.displayName ?? null,
      issuedBy: ctx.principal.issuedBy?.id ?? null,
      grants: ctx.principal.grants.map((g) => ({
        role: g.role,
        tenantId: 'tenantId' in g ? (g.tenantId ?? null) : null,
        socTeam: 'socTeam' in g ? g.socTeam : null,
      })),
      tenantIds: reach.all ? ['*'] : [...reach.tenants].sort(),
    };
  }

  @Query(() => PlatformType, { description: 'Version, store and projection health of this deployment.' })
  @Authorize({ kind: 'global', permission: 'platform.read' })
  platform(): Promise<PlatformType> {
    return this.queries.execute(new GetPlatformQuery());
  }

  @Query(() => TenantEventConnection, {
    description: "The tenant's audit trail, oldest first: every change, who made it, and on whose behalf.",
  })
  @Authorize({ kind: 'tenant', permission: 'events.read', tenantArg: 'tenantId' })
  async auditTrail(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true, description: 'endCursor of the previous page' }) after?: string,
    @Args('onBehalfOnly', { nullable: true, defaultValue: false, description: "Only what SOC or platform staff did on the tenant's behalf." }) onBehalfOnly?: boolean,
  ): Promise<TenantEventConnection> {
    const limit = pageSize(first);
    let from = START;
    if (after) {
      try {
        from = parsePosition(Buffer.from(after, 'base64url').toString('utf8'));
      } catch {
        throw new GraphQLError('invalid cursor: pass an endCursor this API returned', { extensions: { code: 'BAD_USER_INPUT' } });
      }
    }
    const page = await this.runtime.stores.eventStore.readAll({ from, filter: { tenantId, ...(onBehalfOnly ? { actedOnBehalf: true } : {}) }, maxCount: limit });
    const cursor = (e: RecordedEvent) => Buffer.from(formatPosition(e.globalPosition)).toString('base64url');
    return {
      edges: page.events.map((e) => ({ cursor: cursor(e), node: toTenantEvent(e) })),
      pageInfo: {
        hasNextPage: !page.isEnd,
        endCursor: page.events.length ? cursor(page.events[page.events.length - 1]) : (after ?? null),
      },
    };
  }

  @Subscription(() => TenantEventType, {
    description: "The tenant's audit trail as it is written (from the moment of subscribing).",
    resolve: (payload: TenantEventType) => payload,
  })
  @Authorize({ kind: 'tenant', permission: 'events.read', tenantArg: 'tenantId' })
  tenantEvents(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<AsyncIterableIterator<TenantEventType>> {
    return this.live.subscribe(tenantId);
  }

  @Subscription(() => TenantEventType, {
    description: "Changes to the tenant's incidents and response actions as they are recorded (for live queues).",
    resolve: (payload: TenantEventType) => payload,
  })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  incidentEvents(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<AsyncIterableIterator<TenantEventType>> {
    return this.live.subscribe(tenantId, LIVE_INCIDENT_TYPES);
  }
}
