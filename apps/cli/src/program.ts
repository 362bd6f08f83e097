// The command tree. Defining it loads commander and little else: every heavy library (NestJS,
// Apollo, the stores, the guardrail catalog, the Azure SDK) is imported by the action that needs it,
// so `rampart --version`, `--help` and the offline commands start like a command line tool.
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatPosition, parsePosition, START, type GlobalPosition, type LogFilter } from '@rampart/event-sourcing';
import type { RampartConfig, Stores } from '@rampart/runtime';
import type { ServeMode } from '@rampart/server';
import { auditCommand } from './commands/audit';
import { devCommand } from './commands/dev';
import { baselinesCommand, evaluateCommand } from './commands/evaluate';
import { historyCommands } from './commands/history';
import { ingestCommand } from './commands/ingest';
import { policyCommand } from './commands/policy';
import { agreementCommand } from './commands/agreement';
import { attestationsCommand } from './commands/attestations';
import { groupsCommand } from './commands/groups';
import { rolloutsCommand } from './commands/rollouts';
import { onboardTenantCommand } from './commands/tenants';
import { printTable } from './table';
import { cliVersion } from './version';

const config = async (): Promise<RampartConfig> => {
  const { ConfigError, loadConfig } = await import('@rampart/runtime');
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`${error.message}\nsee \`rampart config --help\``);
    throw error;
  }
};

/** Opens the stores for a one-off command and always closes them. */
export const withStores = async <T>(fn: (stores: Stores) => Promise<T>): Promise<T> => {
  const cfg = await config();
  const { openStores } = await import('@rampart/runtime');
  const stores = await openStores(cfg.store);
  try {
    return await fn(stores);
  } finally {
    await stores.close();
  }
};

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

const position = (value: string) => {
  try {
    return parsePosition(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

const runServer = (mode: ServeMode) => async (options: { demo?: boolean }) => {
  const cfg = await config();
  const [{ rampartVersion, serve, stopOnSignals }, { DEV_PERSONAS }] = await Promise.all([import('@rampart/server'), import('@rampart/graphql-api')]);
  const server = await serve(mode, cfg, { demo: options.demo === false || cfg.demo === 'off' ? false : cfg.demo });
  stopOnSignals(server);
  if (server.api) {
    process.stderr.write(
      `\nRampart ${rampartVersion()} (${mode}) on ${server.stores.description}\n` +
        (server.consoleUrl
          ? `  Console  ${server.consoleUrl}\n` +
            (cfg.auth.devIssuer ? `           open it and sign in as: ${DEV_PERSONAS.map((p) => p.label).join(' · ')}\n` : '') +
            (server.consoleUrlExpiresAt
              ? `           its code signs in once, until ${new Date(server.consoleUrlExpiresAt).toLocaleTimeString()}; a new one: npx rampart dev sign-in-link\n`
              : '')
          : '  Console  not built: npm run console:build, then start again\n') +
        `  GraphQL  ${server.api.url}/graphql\n  health   ${server.api.url}/health\n  metrics  ${server.api.url}/metrics\n` +
        `  API token: TOKEN=$(npx rampart dev token --role platform.admin)   (or --role customer.viewer --tenant contoso-bank, --role soc.analyst --team blue)\n` +
        `  try:     curl -s ${server.api.url}/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' ` +
        `-d '{"query":"{ me { id } tenants { edges { node { tenantId displayName sector status socTeams } } } }"}'\n` +
        `Ctrl+C stops it.\n\n`,
    );
  }
};

const projectionRunnersOf = async (stores: Stores) => {
  const [{ projectionRunners }, { createLogger }] = await Promise.all([import('@rampart/platform'), import('@rampart/runtime')]);
  return projectionRunners(stores, createLogger('silent'));
};

export const buildProgram = (): Command => {
  const program = new Command('rampart')
    .description('Rampart: event-sourced compliance and incident platform for managed security providers')
    .version(cliVersion())
    .showHelpAfterError()
    .addHelpText('after', '\nConfiguration comes from environment variables: see `rampart config`.');

  program
    .command('standalone')
    .description('run the API and the worker in one process (the default store is embedded PGlite)')
    .option('--no-demo', 'start empty: no demo tenants or history (also RAMPART_DEMO=off)')
    .action(runServer('standalone'));
  program.command('api').description('run the GraphQL API only').action(runServer('api'));
  program.command('worker').description('run the worker only (projections, evaluation, incident reactor, response actions, schedules)').action(runServer('worker'));

  program
    .command('config')
    .description('show the effective configuration (secrets redacted) and every variable Rampart reads')
    .action(async () => {
      const cfg = await config();
      const { ENVIRONMENT_VARIABLES, redactedConfig } = await import('@rampart/runtime');
      process.stdout.write(`${JSON.stringify(redactedConfig(cfg), null, 2)}\n\nEnvironment variables:\n`);
      for (const [name, help] of Object.entries(ENVIRONMENT_VARIABLES)) process.stdout.write(`  ${name.padEnd(32)} ${help}\n`);
    });

  const projections = program.command('projections').description('inspect and rebuild read models');
  projections
    .command('status')
    .description('checkpoint and lag of every projection')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) =>
      withStores(async (stores) => {
        const runners = await projectionRunnersOf(stores);
        const statuses = await Promise.all(runners.map((r) => r.status()));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
          return;
        }
        const rows = [
          ['projection', 'version', 'position', 'applied', 'behind', 'seconds behind'],
          ...statuses.map((s) => [
            s.name,
            String(s.version),
            s.position,
            String(s.eventsApplied),
            `${s.eventsBehindIsLowerBound ? '>=' : ''}${s.eventsBehind}`,
            s.secondsBehind.toFixed(1),
          ]),
        ];
        printTable(rows);
      }),
    );
  projections
    .command('rebuild')
    .description('replay the whole log into fresh read-model tables (stop workers first for a quiet rebuild)')
    .argument('[names...]', 'projections to rebuild (default: all)')
    .action(async (names: string[]) =>
      withStores(async (stores) => {
        const runners = await projectionRunnersOf(stores);
        const unknown = names.filter((n) => !runners.some((r) => r.name === n));
        if (unknown.length) {
          throw new Error(`unknown projection ${unknown.join(', ')}; known: ${runners.map((r) => r.name).join(', ')}`);
        }
        for (const runner of runners.filter((r) => names.length === 0 || names.includes(r.name))) {
          const started = Date.now();
          let last = 0;
          const total = await runner.rebuild((applied) => {
            if (Date.now() - last > 500) {
              process.stderr.write(`\r${runner.name}: ${applied} events applied`);
              last = Date.now();
            }
          });
          process.stderr.write(`\r${runner.name}: rebuilt from ${total} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        }
      }),
    );

  program
    .command('events')
    .description('read the global event log as NDJSON (one envelope per line)')
    .option('--tenant <id>', 'only this tenant')
    .option('--stream-prefix <prefix...>', 'only streams starting with one of these')
    .option('--type <type...>', 'only these event types')
    .option('--from <position>', 'start after this position ("<commit>/<prepare>")', position)
    .addOption(new Option('--limit <n>', 'at most this many events').argParser(positiveInt).default(100))
    .action(async (options: { tenant?: string; streamPrefix?: string[]; type?: string[]; from?: GlobalPosition; limit: number }) =>
      withStores(async (stores) => {
        const filter: LogFilter = { tenantId: options.tenant, streamPrefixes: options.streamPrefix, eventTypes: options.type };
        let from = options.from ?? START;
        let remaining = options.limit;
        while (remaining > 0) {
          const page = await stores.eventStore.readAll({ from, filter, maxCount: Math.min(remaining, 1000) });
          for (const e of page.events) {
            process.stdout.write(`${JSON.stringify({ ...e, globalPosition: formatPosition(e.globalPosition) })}\n`);
          }
          remaining -= page.events.length;
          from = page.position;
          if (page.isEnd) break;
        }
      }),
    );

  const tenants = program.command('tenants').description('manage tenants (customers)');
  onboardTenantCommand(tenants, withStores);
  devCommand(program, config);
  ingestCommand(program, withStores);
  policyCommand(program, withStores);
  evaluateCommand(program, withStores);
  baselinesCommand(program, withStores);
  groupsCommand(program, withStores);
  attestationsCommand(program, withStores);
  rolloutsCommand(program, withStores);
  agreementCommand(program, withStores);
  historyCommands(program, withStores);
  auditCommand(program, withStores, config);
  return program;
};
