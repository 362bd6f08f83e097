// Read side dispatched through the QueryBus: resolvers stay thin, handlers own the SQL.
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatPosition } from '@rampart/event-sourcing';
import { READ_MODEL_SCHEMA } from '@rampart/platform';
import type { TenantDirectoryEntry } from '@rampart/tenancy';
import { RUNTIME, type ApiRuntime } from '../runtime';
import type { PlatformType, TenantType } from './platform.types';

export class GetPlatformQuery {}

@QueryHandler(GetPlatformQuery)
export class GetPlatformHandler implements IQueryHandler<GetPlatformQuery, PlatformType> {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  async execute(): Promise<PlatformType> {
    const [head, projections] = await Promise.all([
      this.runtime.stores.eventStore.headPosition(),
      this.runtime.projectionStatuses(),
    ]);
    return {
      version: this.runtime.version,
      store: this.runtime.stores.eventStore.kind,
      headPosition: formatPosition(head),
      projections: projections.map((p) => ({ ...p })),
    };
  }
}

export class ListTenantsQuery {}

@QueryHandler(ListTenantsQuery)
export class ListTenantsHandler implements IQueryHandler<ListTenantsQuery, TenantType[]> {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  async execute(): Promise<TenantType[]> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: TenantDirectoryEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".tenant_directory ORDER BY id`,
    );
    return rows.map(({ doc }) => ({ ...doc }));
  }
}
