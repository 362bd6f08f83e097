import { Query, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { PlatformType, TenantType } from './platform.types';
import { GetPlatformQuery, ListTenantsQuery } from './queries';

@Resolver()
export class PlatformResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query(() => PlatformType, { description: 'Version, store and projection health of this deployment.' })
  platform(): Promise<PlatformType> {
    return this.queries.execute(new GetPlatformQuery());
  }

  @Query(() => [TenantType], { description: 'Tenants (customers), from the tenant-directory read model.' })
  tenants(): Promise<TenantType[]> {
    return this.queries.execute(new ListTenantsQuery());
  }
}
