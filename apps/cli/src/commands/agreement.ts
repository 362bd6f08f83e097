// `rampart agreement --tenant`: Azure Policy's own compliance states for the tenant, read now from
// Resource Graph through its cloud connections (each with its credential reference, as collection
// does), beside Rampart's verdicts: where they agree and where they differ. Records nothing.
import type { Command } from 'commander';
import type { Stores } from '@rampart/runtime';
import { InputError, progressLine, requireTenant } from '../command-support';
import { printTable } from '../table';

type WithStores = <T>(fn: (s: Stores) => Promise<T>) => Promise<T>;

const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);

export const agreementCommand = (program: Command, withStores: WithStores): void => {
  program
    .command('agreement')
    .description("where Azure Policy's own verdicts (read from Resource Graph through the tenant's cloud connections) and Rampart's agree and differ")
    .requiredOption('--tenant <tenant-id>', 'the tenant')
    .option('--kind <kind>', 'rows of this kind only: differ (default), azureOnly, rampartOnly, agree, all', 'differ')
    .option('--json', 'print the whole report as JSON')
    .addHelpText('after', '\nExample:\n  rampart agreement --tenant contoso-bank --kind all')
    .action(async (options: { tenant: string; kind: string; json?: boolean }) => {
      if (!['differ', 'azureOnly', 'rampartOnly', 'agree', 'all'].includes(options.kind)) throw new InputError('--kind is differ, azureOnly, rampartOnly, agree or all');
      const [{ NoCloudConnectionError, tenantAzureAgreement }, { credentialFromReference }] = await Promise.all([import('@rampart/platform'), import('@rampart/inventory-azure')]);
      await withStores(async (stores) => {
        await requireTenant(stores, options.tenant);
        const line = progressLine();
        line.show("reading Azure's policy states");
        let report;
        try {
          report = await tenantAzureAgreement(stores, options.tenant, (connection) => ({ credential: credentialFromReference(connection.credentialReference, process.env) }));
        } catch (error) {
          line.done();
          if (error instanceof NoCloudConnectionError) throw new InputError(error.message);
          throw error;
        }
        line.done();
        if (options.json) return void process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        const t = report.totals;
        process.stdout.write(
          `${options.tenant}: agreement ${percent(t.rate)} (${t.agree} agree, ${t.differ} differ, ${t.azureOnly} judged by Azure only, ${t.rampartOnly} by Rampart only); ` +
            `${report.connections.reduce((n, c) => n + c.states, 0)} Azure states from ${report.connections.length} connection(s), ${report.notComparable} naming no definition Rampart has\n`,
        );
        for (const f of report.failures) process.stdout.write(`  not read: ${f.subscriptionId} (${f.error})\n`);
        if (report.guardrails.length) {
          process.stdout.write('\n');
          printTable([['guardrail', 'agree', 'differ', 'azure only', 'rampart only', 'rate'], ...report.guardrails.map((g) => [g.guardrailId, String(g.agree), String(g.differ), String(g.azureOnly), String(g.rampartOnly), percent(g.rate)])]);
        }
        const rows = report.rows.filter((r) => options.kind === 'all' || r.kind === options.kind);
        if (rows.length === 0) return;
        process.stdout.write('\n');
        printTable([['resource', 'guardrail', 'azure', 'rampart', 'kind'], ...rows.map((r) => [r.resourceId, r.guardrailId, r.azure ?? '-', r.rampart ?? '-', r.kind])]);
      });
    });
};
