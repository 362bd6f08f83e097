// Resources over GraphQL: the inventory read model (filter by type, resource group, tag; Relay
// pages), each resource's change history from its own stream, and pushes from collectors.
import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { formatPosition } from '@rampart/event-sourcing';
import { ingest, IngestionRefusedError, itemsOf, presentResourcesFromReadModel } from '@rampart/ingestion';
import { reportedChangesOf, resourceStreamId, type IngestionRunEntry, type ReportedChange, type ResourceEvent, type ResourceInventoryEntry } from '@rampart/inventory';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import { tenantStanding } from '@rampart/tenancy-application';
import { Authorize, InheritsAuthorization, TenantOwned } from '../authorization/rules';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { connectionOf, decodeCursor, pageSize, toConnection } from './connection';
import { badInput } from './inputs';

/** Resources one push may carry; larger inventories go through files or several pushes. */
export const MAX_PUSH_RESOURCES = 500;

@ObjectType()
@InheritsAuthorization()
export class TagType {
  @Field() name!: string;
  @Field() value!: string;
}

@ObjectType({ description: 'A change as the cloud recorded it (Azure Resource Graph change records): who made it, how and when.' })
@InheritsAuthorization()
export class ReportedChangeType {
  @Field({ description: "The cloud's id of its change record." }) changeId!: string;
  @Field({ description: 'Create | Update | Delete' }) changeType!: string;
  @Field({ description: 'When the change happened, by the cloud\'s clock (the history entry\'s recordedAt is when Rampart recorded it).' }) changedAt!: string;
  @Field(() => String, { nullable: true, description: 'A sign-in name, an application or object id, System or Unknown, as the cloud reports it.' }) changedBy!: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. User, Application' }) changedByType!: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. Azure Portal, ARM Template, Azure CLI' }) clientType!: string | null;
  @Field(() => String, { nullable: true, description: 'The ARM operation, e.g. microsoft.storage/storageaccounts/write' }) operation!: string | null;
  @Field(() => String, { nullable: true, description: "ARM's correlation id: the same change in the Activity Log." }) correlationId!: string | null;
}

@ObjectType({ description: "One change in a resource's history." })
@InheritsAuthorization()
export class ResourceChangeType {
  @Field({ description: 'discovered | changed | removed' }) kind!: string;
  @Field() recordedAt!: string;
  @Field(() => Int) revision!: number;
  @Field() position!: string;
  @Field({ description: 'RFC 6902 patch (JSON) for changes; the whole configuration (JSON) for discoveries.' }) detail!: string;
  @Field() contentHash!: string;
  @Field() actorKind!: string;
  @Field() actorId!: string;
  @Field(() => String, { nullable: true, description: 'For an API key: the person who issued it and answers for what it did.' }) actorIssuedBy!: string | null;
  @Field(() => String, { nullable: true }) onBehalfOfTenant!: string | null;
  @Field({ description: 'The ingestion run that observed it.' }) runId!: string;
  @Field(() => String, { nullable: true, description: 'Who made the change, as the cloud reports it (its latest change record this entry accounts for); null when collected by snapshot.' })
  changedBy!: string | null;
  @Field(() => String, { nullable: true, description: 'Which client made it (e.g. Azure Portal), from the same change record.' }) clientType!: string | null;
  @Field(() => String, { nullable: true, description: 'Which ARM operation made it, from the same change record.' }) operation!: string | null;
  @Field(() => String, { nullable: true, description: "When it happened by the cloud's clock, from the same change record." }) changedAt!: string | null;
  @Field(() => String, { nullable: true, description: "ARM's correlation id of the same change record." }) changeCorrelationId!: string | null;
  @Field(() => [ReportedChangeType], { description: "Every cloud change record this entry accounts for, oldest first (several changes between two collections are one entry)." })
  reportedChanges!: ReportedChangeType[];
}

const toReportedChange = (c: ReportedChange): ReportedChangeType => ({
  changeId: c.changeId,
  changeType: c.changeType,
  changedAt: c.changedAt,
  changedBy: c.changedBy ?? null,
  changedByType: c.changedByType ?? null,
  clientType: c.clientType ?? null,
  operation: c.operation ?? null,
  correlationId: c.correlationId ?? null,
});

@ObjectType({ description: 'A cloud or on-premises resource of a tenant, as last observed.' })
@TenantOwned('tenants.read')
export class ResourceType {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) id!: string;
  @Field() type!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) location!: string | null;
  @Field(() => String, { nullable: true }) subscriptionId!: string | null;
  @Field(() => String, { nullable: true }) resourceGroup!: string | null;
  @Field(() => [TagType]) tags!: TagType[];
  @Field({ description: 'The configuration as JSON (volatile fields removed).' }) configuration!: string;
  @Field() contentHash!: string;
  @Field() discoveredAt!: string;
  @Field() changedAt!: string;
  @Field(() => Int) changes!: number;
  resourceKey!: string;
}

export const ResourceConnection = connectionOf(ResourceType, 'Resource');
export type ResourceConnection = InstanceType<typeof ResourceConnection>;

@InputType()
export class TagFilter {
  @Field() name!: string;
  @Field({ nullable: true }) value?: string;
}

@InputType()
export class ResourceFilter {
  @Field({ nullable: true, description: 'e.g. Microsoft.Storage/storageAccounts (case-insensitive)' }) type?: string;
  @Field({ nullable: true }) resourceGroup?: string;
  @Field(() => TagFilter, { nullable: true }) tag?: TagFilter;
}

@InputType()
export class PushResourcesInput {
  @Field(() => ID) tenantId!: string;
  @Field({ description: `A JSON array of resources (ARM shape), at most ${MAX_PUSH_RESOURCES}.` }) resourcesJson!: string;
  @Field({ description: '/subscriptions/<id>[/resourceGroups/<rg>], or * (default)', nullable: true }) scope?: string;
  @Field({ nullable: true, description: 'The batch holds every resource of the scope: the rest is recorded as removed.' })
  complete?: boolean;
}

@ObjectType()
@InheritsAuthorization()
export class IngestionRejectionType {
  @Field(() => String, { nullable: true }) id!: string | null;
  @Field() reason!: string;
}

@ObjectType()
@InheritsAuthorization()
export class IngestionResultType {
  @Field(() => ID) runId!: string;
  @Field(() => Int) seen!: number;
  @Field(() => Int) discovered!: number;
  @Field(() => Int) changed!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) removed!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => [IngestionRejectionType]) rejections!: IngestionRejectionType[];
}

@ObjectType({ description: 'An ingestion run: what one snapshot of a scope saw.' })
@TenantOwned('tenants.read')
export class IngestionRunType {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) runId!: string;
  @Field(() => String, { nullable: true }) connectionId!: string | null;
  @Field({ description: 'azure-resource-graph | file | push' }) source!: string;
  @Field() scope!: string;
  @Field({ description: 'running | completed | failed' }) status!: string;
  @Field(() => Int, { nullable: true, description: 'Counts: final once the run ended, so far while it runs (reported every minute).' })
  seen!: number | null;
  @Field(() => Int, { nullable: true }) discovered!: number | null;
  @Field(() => Int, { nullable: true }) changed!: number | null;
  @Field(() => Int, { nullable: true }) unchanged!: number | null;
  @Field(() => Int, { nullable: true }) removed!: number | null;
  @Field(() => Int, { nullable: true }) rejected!: number | null;
  @Field(() => String, { nullable: true }) failureReason!: string | null;
  @Field() startedAt!: string;
  @Field({ description: 'Start or last progress report; a run silent for 15 minutes is recorded as failed (abandoned).' })
  lastActivityAt!: string;
  @Field(() => String, { nullable: true }) finishedAt!: string | null;
}

const toRun = (doc: IngestionRunEntry): IngestionRunType => ({
  ...doc,
  seen: doc.counts?.seen ?? null,
  discovered: doc.counts?.discovered ?? null,
  changed: doc.counts?.changed ?? null,
  unchanged: doc.counts?.unchanged ?? null,
  removed: doc.counts?.removed ?? null,
  rejected: doc.counts?.rejected ?? null,
});

export const toResource = (doc: ResourceInventoryEntry): ResourceType => ({
  tenantId: doc.tenantId,
  resourceKey: doc.resourceKey,
  id: doc.id,
  type: doc.type,
  name: doc.name,
  location: doc.location,
  subscriptionId: doc.subscriptionId,
  resourceGroup: doc.resourceGroup,
  tags: Object.entries(doc.tags).map(([name, value]) => ({ name, value })),
  configuration: JSON.stringify(doc.configuration),
  contentHash: doc.contentHash,
  discoveredAt: doc.discoveredAt,
  changedAt: doc.changedAt,
  changes: doc.changes,
});

@Resolver(() => ResourceType)
export class InventoryResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => ResourceConnection, { description: "A tenant's resources as last observed." })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async resources(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => ResourceFilter, nullable: true }) filter?: ResourceFilter,
  ): Promise<ResourceConnection> {
    const limit = pageSize(first);
    const params: unknown[] = [tenantId, decodeCursor(after) ?? '', limit + 1];
    let where = 'tenant_id = $1 AND id > $2';
    if (filter?.type) {
      params.push(filter.type.toLowerCase());
      where += ` AND doc->>'type' = $${params.length}`;
    }
    if (filter?.resourceGroup) {
      params.push(filter.resourceGroup.toLowerCase());
      where += ` AND doc->>'resourceGroup' = $${params.length}`;
    }
    if (filter?.tag) {
      params.push(JSON.stringify(filter.tag.value === undefined ? {} : { [filter.tag.name]: filter.tag.value }));
      where += ` AND doc->'tags' @> $${params.length}::jsonb`;
      if (filter.tag.value === undefined) {
        params.push(filter.tag.name);
        where += ` AND doc->'tags' ? $${params.length}`;
      }
    }
    const { rows } = await this.runtime.stores.readModels.query<{ id: string; doc: ResourceInventoryEntry }>(
      `SELECT id, doc FROM "${READ_MODEL_SCHEMA}".resource_inventory WHERE ${where} ORDER BY id LIMIT $3`,
      params,
    );
    const keyed = rows.map((r) => ({ row: r.id, resource: toResource(r.doc) }));
    const connection = toConnection(keyed, limit, (k) => k.row);
    return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.resource })) };
  }

  @Query(() => ResourceType, { nullable: true })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async resource(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('id', { type: () => ID }) id: string): Promise<ResourceType | null> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: ResourceInventoryEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".resource_inventory WHERE id = $1`,
      [`${tenantId}|${id.toLowerCase()}`],
    );
    return rows[0] ? toResource(rows[0].doc) : null;
  }

  @ResolveField(() => [ResourceChangeType], { description: 'Every recorded change, oldest first (the stream is small: one resource).' })
  async history(@Parent() resource: ResourceType): Promise<ResourceChangeType[]> {
    const events = await this.runtime.stores.eventStore.readStream(resourceStreamId(resource.tenantId, resource.resourceKey));
    return events.map((e) => {
      const reported = reportedChangesOf(e as unknown as ResourceEvent).map(toReportedChange);
      const latest = reported[reported.length - 1];
      const d = e.data as { contentHash?: string; afterHash?: string; lastHash?: string; patch?: unknown; configuration?: unknown; runId: string };
      return {
        kind: e.type === 'inventory.ResourceDiscovered.v1' ? 'discovered' : e.type === 'inventory.ResourceRemoved.v1' ? 'removed' : 'changed',
        recordedAt: e.recordedAt,
        revision: e.revision,
        position: formatPosition(e.globalPosition),
        detail: JSON.stringify(d.patch ?? d.configuration ?? null),
        contentHash: d.contentHash ?? d.afterHash ?? d.lastHash ?? '',
        actorKind: e.metadata.actor.kind,
        actorId: e.metadata.actor.id,
        actorIssuedBy: e.metadata.actor.issuedBy?.id ?? null,
        onBehalfOfTenant: e.metadata.actor.onBehalfOfTenant ?? null,
        runId: d.runId,
        changedBy: latest?.changedBy ?? null,
        clientType: latest?.clientType ?? null,
        operation: latest?.operation ?? null,
        changedAt: latest?.changedAt ?? null,
        changeCorrelationId: latest?.correlationId ?? null,
        reportedChanges: reported,
      };
    });
  }

  @Query(() => [IngestionRunType], { description: "A tenant's latest ingestion runs, newest first." })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async ingestionRuns(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('last', { type: () => Int, nullable: true }) last?: number,
  ): Promise<IngestionRunType[]> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: IngestionRunEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".ingestion_runs WHERE tenant_id = $1 ORDER BY doc->>'startedAt' DESC LIMIT $2`,
      [tenantId, pageSize(last, 'last', 20)],
    );
    return rows.map((r) => toRun(r.doc));
  }

  @Mutation(() => IngestionResultType, { description: 'Records a batch of resources from a collector (other clouds, on-premises).' })
  @Authorize({ kind: 'tenant', permission: 'inventory.push', tenantArg: 'input.tenantId' })
  async pushResources(@Context() ctx: RequestContext, @Args('input') input: PushResourcesInput): Promise<IngestionResultType> {
    // Each resource is checked on its own (size, nesting, text) and refused alone, as in a file.
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.resourcesJson);
    } catch (error) {
      throw badInput(`resourcesJson is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw badInput('resourcesJson must be a JSON array');
    if (parsed.length > MAX_PUSH_RESOURCES) {
      throw badInput(`at most ${MAX_PUSH_RESOURCES} resources per push, got ${parsed.length}`);
    }
    const result = await ingest(this.runtime.stores.eventStore, itemsOf(parsed), {
      tenantId: input.tenantId,
      standing: tenantStanding(this.runtime.stores.eventStore),
      actor: ctx.scope.actorFor('inventory.push', input.tenantId),
      source: 'push',
      scope: input.scope ?? '*',
      complete: input.complete ?? false,
      presentResources: presentResourcesFromReadModel(this.runtime.stores),
    }).catch((error: unknown) => {
      if (error instanceof IngestionRefusedError) throw badInput(error.message, { reason: error.code });
      throw error;
    });
    return { runId: result.runId, ...result.counts, rejections: result.rejections };
  }
}
