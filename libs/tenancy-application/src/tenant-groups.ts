// Tenancy's use cases for tenant groups, which every edge calls (GraphQL, CLI, demo): a group is
// the provider's, recorded in its scope; a tenant joins only when it exists and its standing allows a
// change of what it is held to (joining may bring assignments), and leaving is always allowed.
import { handleCommand, PROVIDER_SCOPE, reject, START, type CommandContext, type CommandOutcome, type EventStore, type RecordedEvent } from '@rampart/event-sourcing';
import { groupMembersOf, GROUP_ID, isTenantGroupEvent, tenantGroupDecider, tenantGroupStreamId, type TenantGroupCommand, type TenantGroupEvent } from '@rampart/tenancy';
import { tenantStanding } from './tenant-standing';

export type GroupContext = Omit<CommandContext, 'tenantId'>;

export const changeTenantGroup = async (store: EventStore, groupId: string, command: TenantGroupCommand, context: GroupContext): Promise<CommandOutcome<TenantGroupEvent>> => {
  if (!GROUP_ID.test(groupId)) return { ok: false, rejection: reject('invalid-group-id', 'lowercase letters, digits and dashes, up to 30'), attempts: 0 };
  if (command.kind === 'AddTenantToGroup') {
    const refused = await tenantStanding(store)(command.tenantId, 'changes-posture');
    if (refused) return { ok: false, rejection: refused, attempts: 0 };
  }
  return handleCommand(store, tenantGroupDecider, tenantGroupStreamId(groupId), command, { ...context, tenantId: PROVIDER_SCOPE });
};

/** A group's events, oldest first (empty when there is no such group). */
export const tenantGroupEvents = async (store: Pick<EventStore, 'readStream'>, groupId: string): Promise<TenantGroupEvent[]> =>
  ((await store.readStream(tenantGroupStreamId(groupId))) as RecordedEvent[]).filter(isTenantGroupEvent) as unknown as TenantGroupEvent[];

export interface TenantGroupSummary {
  readonly groupId: string;
  readonly name: string;
  readonly description: string;
  readonly members: readonly string[];
}

/** Every group, from the provider's group events (what a command without read models lists). */
export const listTenantGroups = async (store: Pick<EventStore, 'readAll' | 'readStream'>): Promise<TenantGroupSummary[]> => {
  const created: { groupId: string; name: string; description: string }[] = [];
  for (let from = START; ; ) {
    const page = await store.readAll({ from, filter: { tenantId: PROVIDER_SCOPE, eventTypes: ['tenancy.TenantGroupCreated.v1'] }, maxCount: 1_000 });
    for (const e of page.events) created.push(e.data as { groupId: string; name: string; description: string });
    if (page.isEnd) break;
    from = page.position;
  }
  const groups: TenantGroupSummary[] = [];
  for (const g of created.sort((a, b) => a.groupId.localeCompare(b.groupId))) groups.push({ ...g, members: [...groupMembersOf(await tenantGroupEvents(store, g.groupId))].sort() });
  return groups;
};
