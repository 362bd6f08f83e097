// Tenancy's standing rule at the GraphQL edge: the tenant's status as this request's loader sees it
// (the tenant directory), judged by `standingOf`. Resolvers never compare statuses themselves.
import type { CommandIntent, Rejection, StandingRefusalCode } from '@rampart/event-sourcing';
import { standingOf } from '@rampart/tenancy';
import type { RequestContext } from '../context';

export const standingRefusal = async (ctx: RequestContext, tenantId: string, intent: CommandIntent): Promise<Rejection<StandingRefusalCode> | undefined> =>
  standingOf(tenantId, (await ctx.loaders.tenant.load(tenantId))?.status ?? 'unknown', intent);
