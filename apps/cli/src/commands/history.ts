// `rampart posture --tenant … --as-of …` and `rampart policy replay --tenant … --policy …`: the
// tenant as it was at an instant, and a guardrail never assigned replayed over the recorded
// configuration history; `rampart posture --tenant … --standard …`: its compliance with a
// regulatory standard per control, now or as of an instant. All record nothing.
import { InvalidArgumentError, type Command } from 'commander';
import type { TenantStandardCompliance } from '@rampart/guardrails-application';
import type { HistoryProgress } from '@rampart/platform';
import type { Stores } from '@rampart/runtime';
import { printTable } from '../table';
import { InputError, progressLine, readJson, requireTenant } from '../command-support';

type WithStores = <T>(fn: (s: Stores) => Promise<T>) => Promise<T>;

const instant = (value: string): Date => {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('expected an ISO-8601 time, e.g. 2026-11-01T00:00:00Z');
  return at;
};

const percent = (score: number | null) => (score === null ? '-' : `${(score * 100).toFixed(1)}%`);

const reading = (what: string) => {
  const line = progressLine();
  return { report: (p: HistoryProgress) => line.show(`${what}: ${p.eventsRead} events read (at ${p.position})`), done: () => line.done() };
};

const STATE_LABEL: Record<string, string> = { failed: 'FAILED', passed: 'passed', attested: 'attested', manual: 'manual', notApplicable: 'n/a', notEvaluable: 'not evaluable' };

/** A standard's controls as a table, and one control's failing resources with `control`. */
const printStandard = (r: TenantStandardCompliance, control?: string): void => {
  const when = r.asOf ? `as of ${r.asOf}` : 'now';
  process.stdout.write(`${r.tenantId}: ${r.standard.title} (${r.standard.id}), ${when}\n`);
  if (r.assignments.length === 0) {
    process.stdout.write(`not assigned${r.asOf ? ' then' : ''}: rampart baselines assign --tenant ${r.tenantId} --baseline ${r.standard.id}\n`);
    return;
  }
  const s = r.states;
  process.stdout.write(
    `${s.passed} passed, ${s.failed} failed, ${s.notEvaluable} not evaluable, ${s.attested} attested, ${s.manual} manual (need an attestation), ${s.notApplicable} not applicable; ` +
      `score ${percent(r.score)} of assessable controls; ${r.resourcesInScope} resources in scope (${r.assignments.map((a) => `${a.assignmentId} ${a.scope}`).join(', ')})\n` +
      (r.coverage
        ? `coverage ${percent(r.coverage.score)}: ${r.coverage.evaluated} of ${r.coverage.resources} resources collected and evaluated within ${r.coverage.maxEvidenceAgeHours} h` +
          (r.coverage.notEvaluated ? `; ${r.coverage.notEvaluated} not evaluated (what they pass counts as not evaluable): rampart coverage --tenant ${r.tenantId}` : '') +
          '\n'
        : '') +
      '\n',
  );
  const controls = control ? r.controls.filter((c) => c.control.id === control) : r.controls;
  if (control && controls.length === 0) throw new InputError(`${r.standard.id} has no control ${control}`);
  printTable([
    ['control', 'state', 'passed', 'failed', 'n/a', 'not evaluable', 'title'],
    ...controls.map((c) => [c.control.id, STATE_LABEL[c.state], String(c.resources.passed), String(c.resources.failed), String(c.resources.notApplicable), String(c.resources.notEvaluable), c.control.title]),
  ]);
  if (!control) return;
  const [c] = controls;
  process.stdout.write(`\n${c.definitions.total} definitions: ${c.definitions.automated - c.definitions.refused} evaluated, ${c.definitions.refused} not evaluable, ${c.definitions.manual} manual, ${c.definitions.dataPlane} data-plane\n`);
  if (c.attestation) {
    const a = c.attestation;
    process.stdout.write(`\nattested by ${a.attestedBy}${a.approvedBy ? `, approved by ${a.approvedBy}` : ''}, until ${a.validUntil} (${a.attestationId}): ${a.statement}\n`);
    for (const f of a.evidence) process.stdout.write(`  evidence ${f.name}, ${f.size} bytes, sha256 ${f.sha256}\n`);
  }
  if (c.failing.length === 0) return;
  process.stdout.write('\nfailing resources\n');
  printTable([['resource', 'fails', 'why'], ...c.failing.flatMap((f) => f.failures.map((x) => [f.resourceId, x.guardrailId, x.reason.split('\n')[0]]))]);
};

export const historyCommands = (program: Command, withStores: WithStores): void => {
  program
    .command('posture')
    .description('the tenant exactly as it was at an instant, rebuilt from its events; or its compliance with a regulatory standard per control, now or then (records nothing)')
    .requiredOption('--tenant <tenant-id>', 'the tenant')
    .option('--as-of <time>', 'the instant, ISO-8601 (e.g. 2026-11-01T09:00:00Z); with --standard, absent means now', instant)
    .option('--standard <standard-id>', 'per-control compliance with a standard (e.g. mcsb, cis-azure-2.0.0; see `rampart baselines list --standards`)')
    .option('--control <control-id>', 'with --standard: one control and its failing resources')
    .option('--json', 'print everything as JSON, resources with their configuration included')
    .addHelpText(
      'after',
      '\nExamples:\n  rampart posture --tenant contoso-bank --as-of 2026-11-01T09:00:00Z\n  rampart posture --tenant contoso-bank --standard mcsb\n  rampart posture --tenant contoso-bank --standard cis-azure-2.0.0 --control 3.1 --as-of 2026-11-01T09:00:00Z',
    )
    .action(async (options: { tenant: string; asOf?: Date; standard?: string; control?: string; json?: boolean }) =>
      withStores(async (stores) => {
        const [{ tenantStandardCompliance }, { postureAsOf, standardComplianceAsOf, tenantCoverage }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/platform')]);
        await requireTenant(stores, options.tenant);
        if (options.standard) {
          const standardId = options.standard;
          const progress = reading('reading history');
          const result = options.asOf
            ? await standardComplianceAsOf(stores, options.tenant, standardId, options.asOf, { onProgress: progress.report })
            : await tenantStandardCompliance(stores, options.tenant, standardId, undefined, await tenantCoverage(stores, options.tenant));
          progress.done();
          if (!result) throw new InputError(`no standard ${standardId}: see \`rampart baselines list --standards\``);
          if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          else printStandard(result, options.control);
          return;
        }
        if (!options.asOf) throw new InputError('say --as-of <time>, or --standard <id> for compliance with a standard');
        const progress = reading('reading history');
        const posture = await postureAsOf(stores, options.tenant, options.asOf, { onProgress: progress.report });
        progress.done();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(posture, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${options.tenant} as of ${posture.asOf} (${posture.events} events, up to log position ${posture.position ?? '-'})\n\n`);
        printTable([
          ['resources', 'baselines', 'exemptions in force', 'non-compliant', 'errors', 'open findings', 'open incidents', 'score', 'coverage'],
          [
            String(posture.resources.length),
            (posture.guardrails?.assignments ?? []).map((a) => a.baselineId).join(', ') || '-',
            String(posture.exemptionsInForce.length),
            String(posture.score.overall.nonCompliant),
            String(posture.score.overall.error),
            String(posture.openFindings.length),
            String(posture.openIncidents.length),
            percent(posture.score.overall.score),
            `${percent(posture.coverage.score)} (${posture.coverage.notEvaluated} not evaluated within ${posture.coverage.maxEvidenceAgeHours} h)`,
          ],
        ]);
        if (posture.openFindings.length) {
          process.stdout.write('\nopen findings\n');
          printTable([['severity', 'guardrail', 'resource', 'since'], ...posture.openFindings.map((f) => [f.severity, f.guardrailId, f.resourceId, f.openedAt])]);
        }
        if (posture.openIncidents.length) {
          process.stdout.write('\nopen incidents\n');
          printTable([['incident', 'severity', 'status', 'assignee', 'title'], ...posture.openIncidents.map((i) => [i.incidentId, i.severity, i.status, i.assignee ?? '-', i.title])]);
        }
      }),
    );

  const policy = program.commands.find((c) => c.name() === 'policy') ?? program.command('policy').description('Azure Policy definitions, evaluated offline');
  policy
    .command('replay')
    .description("evaluate a guardrail that was never assigned against a tenant's recorded configuration history: which resources would have broken it, from when to when (records nothing)")
    .requiredOption('--tenant <tenant-id>', 'the tenant')
    .requiredOption('--policy <definition.json>', 'an Azure Policy definition (built-in export, ALZ file, or { "policyRule": … })')
    .option('--params <file>', 'parameter values: {"effect": "Deny"} or {"effect": {"value": "Deny"}}')
    .option('--since <time>', 'only intervals still running at or after this time', instant)
    .option('--until <time>', 'replay up to this time (default: now)', instant)
    .option('--json', 'print the replay as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing would have broken it, 1 some resource would have, 2 the definition cannot be evaluated or bad input.\n\n' +
        'Example:\n  rampart policy replay --tenant contoso-bank --policy WebApp_PublicNetworkAccess_Audit.json --since 2026-10-01T00:00:00Z',
    )
    .action(async (options: { tenant: string; policy: string; params?: string; since?: Date; until?: Date; json?: boolean }) => {
      const [{ parameterValues }, { replayPolicy }] = await Promise.all([import('./policy-test.ts'), import('@rampart/platform')]);
      let definition: unknown;
      let parameters: Record<string, unknown> = {};
      try {
        definition = readJson(options.policy, 'policy');
        if (options.params) parameters = parameterValues(readJson(options.params, 'parameters'), `parameters ${options.params}`);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        process.stderr.write(`rampart policy replay: ${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      await withStores(async (stores) => {
        await requireTenant(stores, options.tenant);
        const progress = reading('replaying');
        const result = await replayPolicy(stores, options.tenant, definition, { parameters, since: options.since, until: options.until, onProgress: progress.report });
        progress.done();
        if (!result.ok) {
          const where = result.refusal.path ? ` at ${result.refusal.path}` : '';
          process.stderr.write(`rampart policy replay: the definition cannot be evaluated (${result.refusal.reason}${where}): ${result.refusal.message}\n`);
          process.exitCode = 2;
          return;
        }
        const { replay } = result;
        if (options.json) process.stdout.write(`${JSON.stringify(replay, null, 2)}\n`);
        else {
          const name = replay.policy.displayName ?? replay.policy.name ?? options.policy;
          process.stdout.write(`${name}: ${replay.resourcesEvaluated} resources evaluated over ${replay.eventsRead} recorded changes up to ${replay.until}\n`);
          if (replay.intervals.length === 0) process.stdout.write('no resource would have broken it\n');
          else {
            process.stdout.write('\n');
            printTable([['resource', 'state', 'from', 'to', 'why'], ...replay.intervals.map((i) => [i.resourceId, i.state, i.from, i.to ?? 'still', i.reason.split('\n')[0]])]);
          }
        }
        process.exitCode = replay.intervals.some((i) => i.state === 'nonCompliant') ? 1 : replay.intervals.length ? 2 : 0;
      });
    });

  const coverage = program
    .command('coverage')
    .description("proof of coverage: when each resource was last collected and evaluated; those not within the tenant's interval count as not evaluated, never as passing")
    // not required here: `coverage policy` takes its own --tenant
    .option('--tenant <tenant-id>', 'the tenant (required)')
    .option('--as-of <time>', 'the instant, ISO-8601, rebuilt from the log (absent: now)', instant)
    .option('--all', 'list every resource, not only those not evaluated')
    .option('--json', 'print it as JSON')
    .addHelpText('after', '\nExamples:\n  rampart coverage --tenant contoso-bank\n  rampart coverage --tenant contoso-bank --as-of 2026-11-01T09:00:00Z\n  rampart coverage policy --tenant contoso-bank --max-age-hours 72')
    .action(async (options: { tenant?: string; asOf?: Date; all?: boolean; json?: boolean }) =>
      withStores(async (stores) => {
        if (!options.tenant) throw new InputError('say --tenant <tenant-id>');
        const { coverageAsOf, tenantCoverage } = await import('@rampart/platform');
        await requireTenant(stores, options.tenant);
        const c = options.asOf ? await coverageAsOf(stores, options.tenant, options.asOf) : await tenantCoverage(stores, options.tenant);
        if (options.json) return void process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
        process.stdout.write(
          `${options.tenant}, ${options.asOf ? `as of ${c.at}` : 'now'}: coverage ${percent(c.score)}, ${c.evaluated} of ${c.resources} resources collected and evaluated within ${c.maxEvidenceAgeHours} h` +
            `${c.notEvaluated ? `; ${c.notEvaluated} not evaluated` : ''}${c.oldestEvidenceAt ? `; oldest evidence ${c.oldestEvidenceAt}` : ''}` +
            `${c.evaluatedThrough ? `; the evaluator has handled what was recorded before ${c.evaluatedThrough}` : ''}\n`,
        );
        const rows = options.all ? c.perResource : c.perResource.filter((r) => !r.evaluated);
        if (rows.length === 0) return;
        process.stdout.write('\n');
        printTable([['resource', 'evaluated', 'last collected', 'evaluated at'], ...rows.map((r) => [r.resourceId, r.evaluated ? 'yes' : 'NOT EVALUATED', r.lastCollectedAt, r.evaluatedAt])]);
      }),
    );

  coverage
    .command('policy')
    .description("how old the evidence behind a verdict may be before the resource counts as not evaluated (FedRAMP 20x: 72 h)")
    .requiredOption('--max-age-hours <n>', 'whole hours, 1 to 2160 (the default is 168)')
    // --tenant is `coverage`'s own option, which commander reads wherever it stands
    .action(async (own: { maxAgeHours: string }, command: Command) =>
      withStores(async (stores) => {
        const options = { ...own, tenant: (command.optsWithGlobals() as { tenant?: string }).tenant ?? '' };
        if (!options.tenant) throw new InputError('say --tenant <tenant-id>');
        const [{ changeTenantGuardrails }, { tenantStanding }, { randomUUID }, { userInfo }] = await Promise.all([
          import('@rampart/guardrails-application'),
          import('@rampart/tenancy-application'),
          import('node:crypto'),
          import('node:os'),
        ]);
        const outcome = await changeTenantGuardrails(
          { eventStore: stores.eventStore, standing: tenantStanding(stores.eventStore) },
          { tenantId: options.tenant, actor: { kind: 'user', id: `cli:${userInfo().username}` }, correlationId: randomUUID(), now: new Date() },
          { kind: 'SetCoveragePolicy', maxEvidenceAgeHours: Number(options.maxAgeHours) },
        );
        if (!outcome.ok) throw new InputError(`not set: ${outcome.rejection.code}${outcome.rejection.message ? ` (${outcome.rejection.message})` : ''}`);
        process.stdout.write(`${options.tenant}: a resource not collected and evaluated within ${options.maxAgeHours} h counts as not evaluated\n`);
      }),
    );
};
