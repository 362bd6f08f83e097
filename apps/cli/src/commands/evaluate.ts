// `rampart evaluate --tenant`: every resource of a tenant against its assigned baselines, now. The
// worker does the same incrementally; this is for after a bulk import, or to check by hand.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Stores } from '@rampart/runtime';
import { catchUp, InputError, progressLine, requireTenant } from '../command-support';
import { printTable } from '../table';

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
        const [{ GuardrailEvaluator, tenantComplianceScore }, { inventoryReader }, { READ_MODEL_SCHEMA }] = await Promise.all([
          import('@rampart/guardrails-application'),
          import('@rampart/ingestion'),
          import('@rampart/runtime'),
        ]);
        await requireTenant(stores, options.tenant);
        await catchUp(stores); // the evaluation reads the inventory read model
        const evaluator = new GuardrailEvaluator(stores, { inventory: inventoryReader(stores.readModels) });
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

/** A JSON object given inline (`{"…": …}`) or as a file path. */
export const jsonObjectOption = (value: string, what: string): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.trimStart().startsWith('{') ? value : readFileSync(value, 'utf8'));
  } catch (error) {
    throw new InputError(`${what}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? `no file ${value}` : (error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError(`${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
};

/** An assignment id from a baseline id: lowercase letters, digits and dashes (`cis-azure-2.0.0` → `cis-azure-2-0-0`). */
export const assignmentIdFor = (baselineId: string): string => baselineId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63);

export const baselinesCommand = (program: Command, withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>): void => {
  const baselines = program.command('baselines').description("the guardrail baselines and Azure's regulatory standards, and assigning them to tenants");
  baselines
    .command('list')
    .description("the built-in baselines, Azure's regulatory standards (assignable the same way) and the curated guardrails")
    .option('--standards', 'only the standards')
    .action(async (options: { standards?: boolean }) => {
      const { builtInCatalog } = await import('@rampart/guardrails');
      const catalog = builtInCatalog();
      if (!options.standards) {
        printTable([
          ['baseline', 'title', 'guardrails'],
          ...[...catalog.baselines.values()].map((b) => [b.id, b.title, String(b.guardrailIds.length)]),
        ]);
        process.stdout.write('\n');
      }
      printTable([
        ['standard', 'title', 'controls', 'definitions', 'initiative'],
        ...(catalog.standards?.list() ?? []).map((s) => [s.id, s.title, String(s.controlCount), String(s.definitionCount), s.initiativeName]),
      ]);
      if (options.standards) return;
      process.stdout.write('\n');
      printTable([
        ['guardrail', 'severity', 'title', 'controls'],
        ...[...catalog.guardrails.values()].map(({ guardrail: g }) => [g.id, g.severity, g.title, g.controls.map((c) => `${c.framework} ${c.control}`).join(', ')]),
      ]);
    });
  baselines
    .command('show')
    .description('a baseline or standard: for a standard its controls, and which of its definitions Rampart evaluates (compiles them)')
    .argument('<id>', 'e.g. landing-zone-core, mcsb, cis-azure-2.0.0')
    .option('--members', "also list the standard's member definitions")
    .addHelpText('after', '\nExample:\n  rampart baselines show cis-azure-2.0.0')
    .action(async (id: string, options: { members?: boolean }) => {
      const { builtInCatalog } = await import('@rampart/guardrails');
      const catalog = builtInCatalog();
      const standards = catalog.standards;
      const compiled = standards?.has(id) ? standards.compiled(id) : undefined;
      if (!compiled) {
        const baseline = catalog.baselines.get(id);
        if (!baseline) throw new Error(`no baseline or standard ${id}: see \`rampart baselines list\``);
        process.stdout.write(`${baseline.id}: ${baseline.title}\n${baseline.description}\n\n`);
        printTable([['guardrail', 'severity', 'title'], ...baseline.guardrailIds.flatMap((id) => catalog.guardrails.get(id)?.guardrail ?? []).map((g) => [g.id, g.severity, g.title])]);
        return;
      }
      const { standard } = compiled;
      const kinds = (kind: string) => standard.members.filter((m) => m.kind === kind).length;
      process.stdout.write(
        `${standard.id}: ${standard.title} (version ${standard.version ?? '-'}, initiative ${standard.initiativeName})\n` +
          `${standard.controls.length} controls, ${standard.members.length} definitions: ${compiled.guardrails.size} evaluated, ${compiled.refused.size} not evaluable, ` +
          `${kinds('manual')} manual, ${kinds('data-plane')} data-plane; Rampart's metadata kept for ${compiled.curated.size}. Compiled in ${Math.round(compiled.compileMs)} ms.\n\n`,
      );
      const kindOf = new Map(standard.members.map((m) => [m.guardrailId, m.kind]));
      printTable([
        ['control', 'domain', 'evaluated', 'not evaluable', 'manual', 'title'],
        ...standard.controls.map((c) => [
          c.id,
          c.domain ?? '-',
          String(c.memberIds.filter((m) => compiled.guardrails.has(m)).length),
          String(c.memberIds.filter((m) => compiled.refused.has(m)).length),
          String(c.memberIds.filter((m) => kindOf.get(m) !== 'automated').length),
          c.title,
        ]),
      ]);
      if (!options.members) return;
      process.stdout.write('\n');
      printTable([
        ['guardrail', 'kind', 'severity', 'controls', 'definition'],
        ...standard.members.map((m) => [
          m.guardrailId,
          compiled.refused.has(m.guardrailId) ? `not evaluable (${compiled.refused.get(m.guardrailId)?.reason})` : m.kind,
          compiled.guardrails.get(m.guardrailId)?.guardrail.severity ?? '-',
          m.controlIds.join(', '),
          m.displayName,
        ]),
      ]);
    });
  baselines
    .command('version')
    .description("which version of a library definition or initiative an assignment evaluates: pin one (a rollback), or follow the latest again; the tenant is evaluated again")
    .requiredOption('--tenant <tenant-id>', 'the tenant')
    .requiredOption('--id <assignment-id>', 'the assignment (see `rampart baselines assign`)')
    .option('--pin <version>', 'evaluate this version from now on; newer ones are not adopted')
    .option('--latest', 'follow the latest version again, adopting each new one')
    .addHelpText('after', '\nExamples:\n  rampart baselines version --tenant contoso-bank --id lib-definition-deny-sql-mintls --pin 1   # roll back\n  rampart baselines version --tenant contoso-bank --id lib-definition-deny-sql-mintls --latest')
    .action(async (options: { tenant: string; id: string; pin?: string; latest?: boolean }) => {
      if ((options.pin === undefined) === !options.latest) throw new InputError('give one of --pin <version> or --latest');
      const version = options.pin === undefined ? undefined : Number(options.pin);
      if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new InputError('--pin takes a version: a whole number from 1');
      const [{ changeTenantGuardrails }, { tenantStanding }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/tenancy-application')]);
      await withStores(async (stores) => {
        const outcome = await changeTenantGuardrails(
          { eventStore: stores.eventStore, standing: tenantStanding(stores.eventStore) },
          { tenantId: options.tenant, actor: { kind: 'user', id: `cli:${userInfo().username}` }, correlationId: randomUUID(), causationId: null, now: new Date() },
          { kind: 'PinLibraryVersion', assignmentId: options.id, version },
        );
        if (!outcome.ok) throw new Error(`not changed: ${outcome.rejection.code}${outcome.rejection.message ? ` (${outcome.rejection.message})` : ''}`);
        const what = version === undefined ? 'follows the latest version' : `is pinned to version ${version}`;
        process.stdout.write(outcome.events.length ? `${options.id} ${what}; the worker evaluates ${options.tenant} again\n` : `${options.id} already ${what}\n`);
      });
    });
  baselines
    .command('assign')
    .description("assign a baseline or standard to a tenant (or a scope of it); the worker evaluates the tenant's resources")
    .requiredOption('--tenant <tenant-id>', 'the tenant')
    .requiredOption('--baseline <baseline-id>', 'e.g. landing-zone-core, mcsb, cis-azure-2.0.0 (see `rampart baselines list`)')
    .option('--scope <scope>', '* (default), /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>', '*')
    .option('--id <assignment-id>', 'assignment id (default: the baseline id, dots as dashes)')
    .option('--parameters <json|file>', 'parameter values per guardrail id: {"<guardrail id>": {"effect": "Deny"}}')
    .option('--initiative-parameters <json|file>', 'for a standard or a library initiative: its parameters, {"effect-<guid>": "Disabled"}, given to every member that takes them')
    .addHelpText('after', '\nExamples:\n  rampart baselines assign --tenant contoso-bank --baseline landing-zone-core\n  rampart baselines assign --tenant contoso-bank --baseline lib-definition:Deny-Sql-minTLS        # the provider\'s library, following its latest version (@2: version 2 only)\n  rampart baselines assign --tenant contoso-bank --baseline lib-initiative:Enforce-Guardrails-KeyVault --initiative-parameters \'{"effectKvSoftDelete": "Deny"}\'\n  rampart baselines assign --tenant contoso-bank --baseline cis-azure-2.0.0 --initiative-parameters \'{"effect-6fac406b-40ca-413b-bf8e-0bf964659c25": "Disabled"}\'')
    .action(async (options: { tenant: string; baseline: string; scope: string; id?: string; parameters?: string; initiativeParameters?: string }) => {
      const [{ builtInCatalog }, { changeTenantGuardrails }, { tenantStanding }] = await Promise.all([
        import('@rampart/guardrails'),
        import('@rampart/guardrails-application'),
        import('@rampart/tenancy-application'),
      ]);
      const parameters = options.parameters ? (jsonObjectOption(options.parameters, '--parameters') as Record<string, Record<string, unknown>>) : undefined;
      const initiativeParameters = options.initiativeParameters ? jsonObjectOption(options.initiativeParameters, '--initiative-parameters') : undefined;
      const standard = builtInCatalog().standards?.has(options.baseline) ?? false;
      const assignmentId = options.id ?? assignmentIdFor(options.baseline);
      await withStores(async (stores) => {
        const started = performance.now();
        const outcome = await changeTenantGuardrails(
          // the provider's library too (lib-definition:<name>[@<version>]), read from the store
          { eventStore: stores.eventStore, standing: tenantStanding(stores.eventStore) },
          { tenantId: options.tenant, actor: { kind: 'user', id: `cli:${userInfo().username}` }, correlationId: randomUUID(), causationId: null, now: new Date() },
          { kind: 'AssignBaseline', assignmentId, baselineId: options.baseline, scope: options.scope, parameters, initiativeParameters },
        );
        if (!outcome.ok) throw new Error(`not assigned: ${outcome.rejection.code}${outcome.rejection.message ? ` (${outcome.rejection.message})` : ''}`);
        process.stdout.write(`assigned ${options.baseline} to ${options.tenant} (${options.scope}) as ${assignmentId}\n`);
        if (standard) process.stderr.write(`checked against the standard in ${Math.round(performance.now() - started)} ms\n`);
      });
    });
};
