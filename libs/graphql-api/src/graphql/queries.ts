// Read side dispatched through the QueryBus: resolvers stay thin, handlers own the reads.
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatPosition } from '@rampart/event-sourcing';
import { RUNTIME, type ApiRuntime } from '../runtime';
import type { PlatformType } from './types';

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
