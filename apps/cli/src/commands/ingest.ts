import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { Stores } from '@rampart/runtime';
import { progressLine } from '../command-support';

export const ingestCommand = (program: Command, withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>): void => {
  program
    .command('ingest')
    .description("record a snapshot of a tenant's resources: every configuration change becomes an event")
    .requiredOption('--tenant <tenant-id>', 'the tenant the resources belong to')
    .requiredOption('--file <path>', 'NDJSON, a JSON array of ARM resources, or `az graph query` output')
    .option('--scope <scope>', 'the scope the snapshot covers: /subscriptions/<id>[/resourceGroups/<rg>], or * (default)', '*')
    .option('--complete-scope', 'the file holds every resource of the scope: resources it lacks are recorded as removed')
    .addHelpText('after', '\nExample:\n  az graph query -q "resources" --first 1000 > contoso.json\n  rampart ingest --tenant contoso-bank --file contoso.json --scope /subscriptions/<id> --complete-scope')
    .action(async (options: { tenant: string; file: string; scope: string; completeScope?: boolean }) =>
      withStores(async (stores) => {
        const [{ ingest, IngestionRefusedError, presentResourcesFromReadModel, readResourceFile }, { tenantStanding }] = await Promise.all([
          import('@rampart/ingestion'),
          import('@rampart/tenancy-application'),
        ]);
        const started = Date.now();
        const progress = progressLine();
        const result = await ingest(stores.eventStore, readResourceFile(options.file), {
          tenantId: options.tenant,
          // tenancy's rule: an unknown, suspended or offboarded tenant's inventory is not collected
          standing: tenantStanding(stores.eventStore),
          actor: { kind: 'user', id: `cli:${userInfo().username}` },
          source: 'file',
          scope: options.scope,
          complete: Boolean(options.completeScope),
          presentResources: presentResourcesFromReadModel(stores),
          onProgress: (c) => progress.show(`ingesting: ${c.seen} seen, ${c.discovered} discovered, ${c.changed} changed, ${c.unchanged} unchanged, ${c.rejected} rejected`),
        }).catch((error: unknown) => {
          if (error instanceof IngestionRefusedError) throw new Error(`not ingested (${error.code}): ${error.message}`);
          throw error;
        });
        progress.done();
        const c = result.counts;
        const rows = [
          ['seen', c.seen],
          ['discovered', c.discovered],
          ['changed', c.changed],
          ['unchanged', c.unchanged],
          ['removed', c.removed],
          ['rejected', c.rejected],
        ] as const;
        process.stdout.write(`run ${result.runId} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
        for (const [label, n] of rows) process.stdout.write(`  ${label.padEnd(11)} ${String(n).padStart(8)}\n`);
        for (const r of result.rejections.slice(0, 20)) process.stdout.write(`  rejected: ${r.id ?? '(no id)'}: ${r.reason}\n`);
        if (result.rejections.length > 20) process.stdout.write(`  … and ${result.rejections.length - 20} more rejections (recorded in the run's events)\n`);
      }),
    );
};
