// How resolvers and types declare who may use them. A rule is data on the schema (GraphQL field
// and type extensions), so one schema transform enforces all of them and a test can walk the
// schema to prove none is missing. Anything without a rule is refused.
import { Extensions } from '@nestjs/graphql';
import type { Permission } from '@rampart/auth';

export type OperationRule =
  /** The operation acts in one tenant, named by an argument (dot path, e.g. "input.tenantId"). */
  | { readonly kind: 'tenant'; readonly permission: Permission; readonly tenantArg: string }
  /** A list across tenants: the resolver filters by the scope's reach; a tenant filter argument, if given, is checked. */
  | { readonly kind: 'list'; readonly permission: Permission; readonly tenantArg?: string }
  /** Not about a tenant (platform status): the principal needs the permission in any grant. */
  | { readonly kind: 'global'; readonly permission: Permission }
  /** Only about the caller itself (`me`): any authenticated principal. */
  | { readonly kind: 'self' };

export type TypeRule =
  /** Objects belong to the tenant in `tenantField`; every field read is checked against it. */
  | { readonly kind: 'tenant-owned'; readonly permission: Permission; readonly tenantField: string }
  /** Wrappers and values (connections, edges, page info, payloads) that carry no tenant data of their own. */
  | { readonly kind: 'inherit' };

export const AUTHORIZE = 'authorize';
export const TYPE_AUTHORIZATION = 'typeAuthorization';

/** On a @Query, @Mutation or @Subscription. */
export const Authorize = (rule: OperationRule): MethodDecorator & PropertyDecorator => Extensions({ [AUTHORIZE]: rule });

/** On an @ObjectType class. */
export const TenantOwned = (permission: Permission, tenantField = 'tenantId'): ClassDecorator =>
  Extensions({ [TYPE_AUTHORIZATION]: { kind: 'tenant-owned', permission, tenantField } satisfies TypeRule });

export const InheritsAuthorization = (): ClassDecorator => Extensions({ [TYPE_AUTHORIZATION]: { kind: 'inherit' } satisfies TypeRule });
