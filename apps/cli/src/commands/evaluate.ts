// `rampart evaluate --tenant`: every resource of a tenant against its assigned baselines, now. The
// worker does the same incrementally; this is for after a bulk import, or to check by hand.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { handleCommand } from '@rampart/event-sourcing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId } from '@rampart/guardrails';
import { createLogger, GuardrailEvaluator, projectionRunners, READ_MODEL_SCHEMA, tenantComplianceScore, type Stores } from '@rampart/platform';
import { progressLine, requireTenant } from '../command-support';
import { printTable } from '../table';

const catchUp = async (stores: Stores) => {
  for (const runner of projectionRunners(stores, createLogger('silent'))) {
    await runner.prepare();
    for (;;) if ((await runner.runBatch()).caughtUp) break;
  }
};

const percent = (score: number | null) => (score === null ? '-' : `${(score * 100).toFixed(1)}%`);

export const evaluateCommand = (program: Command, withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>): void => {
  program
    .command('evaluate')
    .description("evaluate every resource of a tenant against its assigned baselines and record what changed")
    .requiredOption('--tenant <tenant-id>', 'the tenant to evaluate')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExample:\n  rampart evaluate --tenant contoso-bank')
    .action(async (options: { tenant: string; json?: boolean }) =>
      withStores(async (stores) => {
        await requireTenant(stores, options.tenant);
        await catchUp(stores); // the evaluation reads the inventory read model
        const evaluator = new GuardrailEvaluator(stores);
        const policy = await evaluator.policyOf(options.tenant);
        if (policy.assignments.size === 0) process.stderr.write(`note: ${options.tenant} has no baseline assigned; nothing to evaluate against\n`);
        const progress = progressLine();
        const started = Date.now();
        const summary = await evaluator.evaluateTenant(options.tenant, { policy, onProgress: (done) => progress.show(`evaluating: ${done} resources`) });
        progress.done();
        await catchUp(stores);
        const score = await tenantComplianceScore(stores, options.tenant);
        const open = await stores.readModels.query<{ severity: string; n: number }>(
          `SELECT doc->>'severity' AS severity, count(*)::int AS n FROM "${READ_MODEL_SCHEMA}".findings WHERE tenant_id = $1 AND doc->>'status' = 'open' GROUP BY 1`,
          [options.tenant],
        );
        const openBySeverity = Object.fromEntries(['critical', 'high', 'medium', 'low'].map((s) => [s, Number(open.rows.find((r) => r.severity === s)?.n ?? 0)]));
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ tenantId: options.tenant, ...summary, seconds: (Date.now() - started) / 1000, openFindings: openBySeverity, score }, null, 2)}\n`);
          return;
        }
        printTable([
          ['resources', 'evaluations', 'posture events', 'open findings (critical/high/medium/low)', 'score'],
          [
            String(summary.resources),
            String(summary.evaluations),
            String(summary.postureEvents),
            `${openBySeverity['critical']}/${openBySeverity['high']}/${openBySeverity['medium']}/${openBySeverity['low']}`,
            percent(score.overall.score),
          ],
        ]);
        if (score.baselines.length) {
          process.stdout.write('\n');
          printTable([['baseline', 'compliant', 'non-compliant', 'error', 'exempt', 'score'], ...score.baselines.map((b) => [b.baselineId, String(b.compliant), String(b.nonCompliant), String(b.error), String(b.exempt), percent(b.score)])]);
        }
      }),
    );
};

export const baselinesCommand = (program: Command, withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>): void => {
  const baselines = program.command('baselines').description('the guardrail baselines, and assigning them to tenants');
  baselines
    .command('list')
    .description('the built-in baselines and their guardrails')
    .action(() => {
      const catalog = builtInCatalog();
      printTable([
        ['baseline', 'title', 'guardrails'],
        ...[...catalog.baselines.values()].map((b) => [b.id, b.title, String(b.guardrailIds.length)]),
      ]);
      process.stdout.write('\n');
      printTable([
        ['guardrail', 'severity', 'title', 'controls'],
        ...[...catalog.guardrails.values()].map(({ guardrail: g }) => [g.id, g.severity, g.title, g.controls.map((c) => `${c.framework} ${c.control}`).join(', ')]),
      ]);
    });
  baselines
    .command('assign')
    .description("assign a baseline to a tenant (or a scope of it); the worker evaluates the tenant's resources")
    .requiredOption('--tenant <tenant-id>', 'the tenant')
    .requiredOption('--baseline <baseline-id>', 'e.g. landing-zone-core (see `rampart baselines list`)')
    .option('--scope <scope>', '* (default), /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>', '*')
    .option('--id <assignment-id>', 'assignment id (default: the baseline id)')
    .addHelpText('after', '\nExample:\n  rampart baselines assign --tenant contoso-bank --baseline landing-zone-core')
    .action(async (options: { tenant: string; baseline: string; scope: string; id?: string }) =>
      withStores(async (stores) => {
        await requireTenant(stores, options.tenant);
        const outcome = await handleCommand(
          stores.eventStore,
          tenantGuardrailsDecider(builtInCatalog()),
          tenantGuardrailsStreamId(options.tenant),
          { kind: 'AssignBaseline', assignmentId: options.id ?? options.baseline, baselineId: options.baseline, scope: options.scope },
          { tenantId: options.tenant, actor: { kind: 'user', id: `cli:${userInfo().username}` }, correlationId: randomUUID(), causationId: null, now: new Date() },
        );
        if (!outcome.ok) throw new Error(`not assigned: ${outcome.rejection.code}${outcome.rejection.message ? ` (${outcome.rejection.message})` : ''}`);
        process.stdout.write(`assigned ${options.baseline} to ${options.tenant} (${options.scope}) as ${options.id ?? options.baseline}\n`);
      }),
    );
};
