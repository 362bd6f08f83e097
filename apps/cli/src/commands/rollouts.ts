// `rampart rollouts`: a baseline (a new or changed library definition, a standard) rolled out to a
// tenant group in rings — what it would find first, then a canary set, then the rest, each ring a
// recorded decision, with one rollback. Through guardrails' use cases; after each change the
// rollout is reconciled at once (what the worker's reaction does too: doing it twice records
// nothing twice), so the tenants hold what it gives them when the command returns.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Stores } from '@rampart/runtime';
import { failIfRefused, InputError, progressLine } from '../command-support';
import { printTable } from '../table';
import { jsonObjectOption } from './evaluate';

type WithStores = <T>(fn: (s: Stores) => Promise<T>) => Promise<T>;

const person = () => `cli:${userInfo().username}`;
const context = () => ({ actor: { kind: 'user' as const, id: person() }, correlationId: randomUUID(), now: new Date() });

/** `canary=contoso-bank,woodgrove-bank` or `rest=*`. */
const ring = (value: string, previous: { name: string; tenants: string[] }[] = []) => {
  const [name, list] = value.split('=', 2);
  if (!name || !list) throw new InputError(`--ring ${value}: say <name>=<tenant>[,<tenant>…] or <name>=* (every member not named before)`);
  return [...previous, { name, tenants: list.split(',').map((t) => t.trim()).filter(Boolean) }];
};

const reconcile = async (stores: Stores, rolloutId: string): Promise<string> => {
  const [{ reconcileRollout }, { tenantStanding }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/tenancy-application')]);
  const done = await reconcileRollout({ eventStore: stores.eventStore, standing: tenantStanding(stores.eventStore) }, rolloutId, { correlationId: randomUUID() });
  const refused = done.refused.length ? `; refused for ${done.refused.map((r) => `${r.tenantId} (${r.code})`).join(', ')}` : '';
  return `tenants' policies: ${done.assigned} assigned, ${done.unassigned} unassigned${refused}`;
};

const printWhatIf = (rows: readonly { tenantId: string; nonCompliantNow: number; nonCompliantEver: number; errors: number; since: string | null; refused?: readonly { guardrailId: string }[] }[]) =>
  printTable([
    ['tenant', 'non-compliant now', 'ever', 'errors', 'since', 'not replayable'],
    ...rows.map((w) => [w.tenantId, String(w.nonCompliantNow), String(w.nonCompliantEver), String(w.errors), w.since ?? '-', String(w.refused?.length ?? 0)]),
  ]);

export const rolloutsCommand = (program: Command, withStores: WithStores): void => {
  const rollouts = program.command('rollouts').description('staged rollouts of a baseline to a tenant group: what-if, rings, rollback');

  rollouts
    .command('list')
    .description('every rollout, newest first, with its rings')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const { listRollouts } = await import('@rampart/guardrails-application');
      await withStores(async ({ eventStore }) => {
        const rows = await listRollouts(eventStore);
        if (options.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        if (rows.length === 0) return void process.stdout.write('no rollout yet: rampart rollouts plan <rollout-id> --group <group> --baseline <id> --ring canary=<tenant> --ring rest=*\n');
        printTable([
          ['rollout', 'status', 'group', 'baseline', 'rings'],
          ...rows.map((r) => [
            r.rolloutId,
            r.status,
            r.plan?.groupId ?? '-',
            r.plan?.baselineId ?? '-',
            (r.plan?.rings ?? []).map((g, i) => `${g.name} (${g.tenants.length})${r.approved.some((a) => a.ring === i) ? ' in' : ''}`).join(', '),
          ]),
        ]);
      });
    });

  rollouts
    .command('what-if')
    .description("what a baseline would find in each member of a group, replayed over its recorded history (records nothing)")
    .requiredOption('--group <group-id>')
    .requiredOption('--baseline <baseline-id>', 'e.g. lib-definition:Storage-MinTLS, mcsb')
    .option('--parameters <json|file>', 'parameter values per guardrail id')
    .option('--initiative-parameters <json|file>', "for a standard or an initiative: its parameters' values")
    .option('--json', 'print it as JSON, with the resources')
    .action(async (options: { group: string; baseline: string; parameters?: string; initiativeParameters?: string; json?: boolean }) => {
      const [{ groupMembersNow }, { rolloutWhatIf }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/platform')]);
      await withStores(async (stores) => {
        const members = await groupMembersNow(stores.eventStore, options.group);
        if (!members) throw new InputError(`no tenant group ${options.group}`);
        const line = progressLine();
        const whatIf = await rolloutWhatIf(stores, {
          tenants: [...members].sort(),
          baselineId: options.baseline,
          parameters: options.parameters ? (jsonObjectOption(options.parameters, '--parameters') as Record<string, Record<string, unknown>>) : undefined,
          initiativeParameters: options.initiativeParameters ? jsonObjectOption(options.initiativeParameters, '--initiative-parameters') : undefined,
          onProgress: (p) => line.show(`replayed ${p.guardrails} guardrail(s) over ${p.tenantId}`),
        });
        line.done();
        if (!whatIf) throw new InputError(`no baseline ${options.baseline}`);
        if (options.json) return void process.stdout.write(`${JSON.stringify(whatIf, null, 2)}\n`);
        printWhatIf(whatIf);
      });
    });

  rollouts
    .command('plan')
    .description('plan a rollout: the what-if over the rings\' tenants, recorded with the plan; nothing is enforced until a ring is approved')
    .argument('<rollout-id>', 'lowercase letters, digits and dashes, up to 24')
    .requiredOption('--group <group-id>')
    .requiredOption('--baseline <baseline-id>')
    .requiredOption('--ring <name=tenants>', 'in order, e.g. --ring canary=contoso-bank --ring rest=*', ring)
    .option('--id <assignment-id>', 'tenants hold it as rol-<rollout>-<id>', 'baseline')
    .option('--scope <scope>', '* (default), /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>', '*')
    .option('--parameters <json|file>', 'parameter values per guardrail id')
    .option('--initiative-parameters <json|file>', "for a standard or an initiative: its parameters' values")
    .option('--raise-incidents-for-existing', 'findings that existed before it open incidents too (default: they do not)')
    .action(
      async (
        rolloutId: string,
        options: { group: string; baseline: string; ring: { name: string; tenants: string[] }[]; id: string; scope: string; parameters?: string; initiativeParameters?: string; raiseIncidentsForExisting?: boolean },
      ) => {
        const { planRollout } = await import('@rampart/platform');
        await withStores(async (stores) => {
          const line = progressLine();
          const { outcome, whatIf } = await planRollout(
            stores,
            {
              rolloutId,
              groupId: options.group,
              assignmentId: options.id,
              baselineId: options.baseline,
              scope: options.scope,
              parameters: options.parameters ? (jsonObjectOption(options.parameters, '--parameters') as Record<string, Record<string, unknown>>) : undefined,
              initiativeParameters: options.initiativeParameters ? jsonObjectOption(options.initiativeParameters, '--initiative-parameters') : undefined,
              rings: options.ring,
              raiseIncidentsForExisting: options.raiseIncidentsForExisting ?? false,
              plannedBy: person(),
            },
            context(),
            { onProgress: (p) => line.show(`what-if: replayed ${p.guardrails} guardrail(s) over ${p.tenantId}`) },
          );
          line.done();
          failIfRefused('not planned', outcome);
          printWhatIf(whatIf);
          process.stdout.write(`\nplanned rollout ${rolloutId}: nothing is enforced yet; the first ring goes in with rampart rollouts approve ${rolloutId} --ring 0\n`);
        });
      },
    );

  rollouts
    .command('approve')
    .description('the next ring goes in, by your decision: its tenants hold the baseline from now on')
    .argument('<rollout-id>')
    .requiredOption('--ring <n>', 'the next ring, counted from 0')
    .action(async (rolloutId: string, options: { ring: string }) => {
      const { changeRollout } = await import('@rampart/guardrails-application');
      await withStores(async (stores) => {
        failIfRefused('not approved', await changeRollout(stores.eventStore, rolloutId, { kind: 'ApproveRolloutRing', ring: Number(options.ring), approvedBy: person() }, context()));
        process.stdout.write(`ring ${options.ring} of ${rolloutId} goes in; ${await reconcile(stores, rolloutId)}\n`);
      });
    });

  rollouts
    .command('rollback')
    .description('take the baseline from every tenant of the rollout')
    .argument('<rollout-id>')
    .requiredOption('--reason <text>', 'why: the customers and the auditors read it')
    .action(async (rolloutId: string, options: { reason: string }) => {
      const { changeRollout } = await import('@rampart/guardrails-application');
      await withStores(async (stores) => {
        failIfRefused('not rolled back', await changeRollout(stores.eventStore, rolloutId, { kind: 'RollBackRollout', rolledBackBy: person(), reason: options.reason }, context()));
        process.stdout.write(`rolled ${rolloutId} back; ${await reconcile(stores, rolloutId)}\n`);
      });
    });
};
