// `rampart groups`: the provider's tenant groups (by sector, contract tier, region) and the
// baselines a group gives its members, through tenancy's and guardrails' use cases. After each
// change the group is reconciled at once (what the worker's reaction does too; doing it twice
// records nothing twice), so the members' policies say what the group gives them when it returns.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Stores } from '@rampart/runtime';
import { failIfRefused } from '../command-support';
import { printTable } from '../table';
import { jsonObjectOption } from './evaluate';

type WithStores = <T>(fn: (s: Stores) => Promise<T>) => Promise<T>;

const context = () => ({ actor: { kind: 'user' as const, id: `cli:${userInfo().username}` }, correlationId: randomUUID(), now: new Date() });

/** The group reconciled now: each member holds what it gives. */
const reconcile = async (stores: Stores, groupId: string): Promise<string> => {
  const [{ reconcileGroup }, { tenantStanding }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/tenancy-application')]);
  const done = await reconcileGroup({ eventStore: stores.eventStore, standing: tenantStanding(stores.eventStore) }, groupId, { correlationId: randomUUID() });
  const refused = done.refused.length ? `; refused for ${done.refused.map((r) => `${r.tenantId} (${r.code})`).join(', ')}` : '';
  return `members' policies: ${done.assigned} assigned, ${done.unassigned} unassigned${refused}`;
};

export const groupsCommand = (program: Command, withStores: WithStores): void => {
  const groups = program.command('groups').description("the provider's tenant groups and the baselines they give their members");

  groups
    .command('list')
    .description('every group, its members and its assignments')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const [{ groupGuardrailsOf }, { listTenantGroups }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/tenancy-application')]);
      await withStores(async ({ eventStore }) => {
        const rows = [];
        for (const group of await listTenantGroups(eventStore)) rows.push({ ...group, assignments: [...(await groupGuardrailsOf(eventStore, group.groupId)).assignments.values()] });
        if (options.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        if (rows.length === 0) return void process.stdout.write('no tenant group yet: rampart groups create <group-id> --name <name>\n');
        printTable([['group', 'name', 'members', 'assigns'], ...rows.map((r) => [r.groupId, r.name, r.members.join(', ') || '-', r.assignments.map((a) => `${a.assignmentId}: ${a.baselineId}`).join(', ') || '-'])]);
      });
    });

  groups
    .command('create')
    .description('a new tenant group')
    .argument('<group-id>', 'lowercase letters, digits and dashes, up to 30')
    .requiredOption('--name <name>', 'what people call it')
    .option('--description <text>', 'what it is for')
    .action(async (groupId: string, options: { name: string; description?: string }) => {
      const { changeTenantGroup } = await import('@rampart/tenancy-application');
      await withStores(async ({ eventStore }) => {
        failIfRefused('not created', await changeTenantGroup(eventStore, groupId, { kind: 'CreateTenantGroup', groupId, name: options.name, description: options.description }, context()));
        process.stdout.write(`created tenant group ${groupId}\n`);
      });
    });

  for (const [verb, kind] of [
    ['add', 'AddTenantToGroup'],
    ['remove', 'RemoveTenantFromGroup'],
  ] as const) {
    groups
      .command(verb)
      .description(verb === 'add' ? 'a tenant joins the group: it gains the baselines the group assigns' : 'a tenant leaves the group: it loses the baselines the group gave it')
      .argument('<group-id>')
      .requiredOption('--tenant <tenant-id>', 'the tenant')
      .option('--reason <text>', 'why it leaves (required to remove)')
      .action(async (groupId: string, options: { tenant: string; reason?: string }) => {
        const { changeTenantGroup } = await import('@rampart/tenancy-application');
        await withStores(async (stores) => {
          const command = kind === 'AddTenantToGroup' ? { kind, tenantId: options.tenant } : { kind, tenantId: options.tenant, reason: options.reason ?? '' };
          failIfRefused(`not ${verb === 'add' ? 'added' : 'removed'}`, await changeTenantGroup(stores.eventStore, groupId, command, context()));
          process.stdout.write(`${options.tenant} ${verb === 'add' ? 'joined' : 'left'} ${groupId}; ${await reconcile(stores, groupId)}\n`);
        });
      });
  }

  groups
    .command('assign')
    .description('assign a baseline, standard or provider library artifact to every member of the group, now and as tenants join')
    .argument('<group-id>')
    .requiredOption('--id <assignment-id>', 'lowercase letters, digits and dashes, up to 28 (members hold it as grp-<group>-<id>)')
    .requiredOption('--baseline <baseline-id>', 'e.g. landing-zone-core, mcsb, lib-definition:Deny-Sql-minTLS')
    .option('--scope <scope>', '* (default), /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>', '*')
    .option('--parameters <json|file>', 'parameter values per guardrail id')
    .option('--initiative-parameters <json|file>', "for a standard or an initiative: its parameters' values")
    .action(async (groupId: string, options: { id: string; baseline: string; scope: string; parameters?: string; initiativeParameters?: string }) => {
      const { changeGroupGuardrails } = await import('@rampart/guardrails-application');
      const parameters = options.parameters ? (jsonObjectOption(options.parameters, '--parameters') as Record<string, Record<string, unknown>>) : undefined;
      const initiativeParameters = options.initiativeParameters ? jsonObjectOption(options.initiativeParameters, '--initiative-parameters') : undefined;
      await withStores(async (stores) => {
        const command = { kind: 'AssignBaselineToGroup' as const, groupId, assignmentId: options.id, baselineId: options.baseline, scope: options.scope, parameters, initiativeParameters };
        failIfRefused('not assigned', await changeGroupGuardrails(stores.eventStore, command, context()));
        process.stdout.write(`assigned ${options.baseline} to ${groupId} as ${options.id}; ${await reconcile(stores, groupId)}\n`);
      });
    });

  groups
    .command('unassign')
    .description("take a group's assignment from every member")
    .argument('<group-id>')
    .requiredOption('--id <assignment-id>', 'the group assignment')
    .action(async (groupId: string, options: { id: string }) => {
      const { changeGroupGuardrails } = await import('@rampart/guardrails-application');
      await withStores(async (stores) => {
        failIfRefused('not unassigned', await changeGroupGuardrails(stores.eventStore, { kind: 'UnassignBaselineFromGroup', groupId, assignmentId: options.id }, context()));
        process.stdout.write(`took ${options.id} from ${groupId}; ${await reconcile(stores, groupId)}\n`);
      });
    });
};
