// `rampart policy test`: evaluate one Azure Policy definition against one resource, offline, and say
// why — the way to try a policy without deploying it. Exit codes are part of the interface, so
// scripts and CI pipelines can gate on them.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  compilePolicy,
  describeVerdict,
  parameterValuesOf,
  resourceGroupInfoOf,
  resourceGroupKeyOf,
  type ComplianceState,
  type PolicyResource,
  type ResourceGroupInfo,
  type Verdict,
} from '@rampart/guardrails';

/** A definition whose effect is Disabled is compliant by default (as Azure reports it): 0, labelled as not evaluated. */
export const POLICY_TEST_EXIT_CODES: Readonly<Record<ComplianceState | 'refused', number>> = {
  compliant: 0,
  nonCompliant: 1,
  error: 2,
  refused: 2,
  notApplicable: 3,
};

/** A usage problem with the inputs (unreadable file, not JSON, wrong shape): exit 2 with the reason. */
export class InputError extends Error {}

export const readJson = (path: string, what: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A resource as users have it at hand: an ARM GET body, a Resource Graph row, or a bare body with
 * only `type` and `properties` (no id, no name).
 */
export const toPolicyResource = (body: unknown, what: string): PolicyResource => {
  if (!isObject(body)) throw new InputError(`${what} must be a JSON object (an ARM resource body)`);
  if (typeof body['type'] !== 'string' || !body['type'].includes('/')) {
    throw new InputError(`${what} needs a "type" such as "Microsoft.Storage/storageAccounts"`);
  }
  const id = typeof body['id'] === 'string' ? body['id'] : undefined;
  const name = typeof body['name'] === 'string' ? body['name'] : (id?.split('/').filter(Boolean).pop() ?? 'resource');
  return { ...body, name, type: body['type'], tags: isObject(body['tags']) ? (body['tags'] as Record<string, string>) : {} } as PolicyResource;
};

/**
 * A related resource as the engine needs it: with an id, which is what places it under, on or beside
 * the evaluated resource (the engine counts only those where Azure looks, never one of the right type
 * elsewhere, such as another server's audit settings).
 */
export const toRelatedResource = (body: unknown, what: string): PolicyResource => {
  const resource = toPolicyResource(body, what);
  if (typeof resource.id !== 'string' || !resource.id.startsWith('/'))
    throw new InputError(
      `${what} needs an "id" (such as "/subscriptions/…/providers/Microsoft.Web/sites/app1/config/web"): a related resource counts only under, on or in the resource group or subscription of the resource evaluated, and its id says where it is`,
    );
  return resource;
};

/** Parameter values in any of the forms parameterValuesOf reads; `what` names the file in the error. */
export const parameterValues = (raw: unknown, what: string): Record<string, unknown> => {
  const read = parameterValuesOf(raw);
  if (!read.ok) throw new InputError(`${what} ${read.reason}`);
  return read.values;
};

export interface PolicyTestOutcome {
  readonly exitCode: number;
  readonly verdict?: Verdict;
  readonly refusal?: { reason: string; message: string; path?: string };
}

/** The resource group of the resource among the related resources given (its body, as ARM or Resource Graph has it), for resourceGroup(). */
export const resourceGroupAmong = (resource: PolicyResource, related: readonly PolicyResource[]): ResourceGroupInfo | undefined => {
  const groupKey = typeof resource.id === 'string' ? resourceGroupKeyOf(resource.id) : undefined;
  if (!groupKey) return undefined;
  for (const r of related) if (typeof r.id === 'string' && r.id.toLowerCase() === groupKey) return resourceGroupInfoOf(r);
  return undefined;
};

/**
 * Every related resource given is offered; the engine keeps those of the type and name asked for,
 * where Azure looks. The resource's group among them is what resourceGroup() reads; without it only
 * the group's name is known (from the resource's id).
 */
export const policyTest = (definition: unknown, resource: PolicyResource, related: readonly PolicyResource[], parameters: Record<string, unknown>): PolicyTestOutcome => {
  const compiled = compilePolicy(definition);
  if (!compiled.ok) return { exitCode: POLICY_TEST_EXIT_CODES.refused, refusal: compiled.refusal };
  const verdict = compiled.policy.evaluate(resource, { parameters, related: () => related, resourceGroup: resourceGroupAmong(resource, related) });
  return { exitCode: POLICY_TEST_EXIT_CODES[verdict.state], verdict };
};

const STATE_WORDS: Record<ComplianceState, string> = {
  compliant: 'COMPLIANT',
  nonCompliant: 'NON-COMPLIANT',
  notApplicable: 'NOT APPLICABLE',
  error: 'ERROR (not evaluable)',
};

const headline = (verdict: Verdict) =>
  verdict.disabled ? 'COMPLIANT BY DEFAULT, NOT EVALUATED (effect Disabled)' : `${STATE_WORDS[verdict.state]} — effect ${verdict.effect}`;

export const policyCommand = (program: Command): void => {
  const policy = program.command('policy').description('Azure Policy definitions, evaluated offline');
  policy
    .command('test')
    .description('evaluate one policy definition against one resource and explain the verdict, without deploying anything')
    .requiredOption('--policy <definition.json>', 'an Azure Policy definition (built-in export, ALZ file, or { "policyRule": … })')
    .requiredOption('--resource <resource.json>', 'the resource: an ARM GET body, a Resource Graph row, or just { "type", "properties" }')
    .option(
      '--related <file...>',
      'resources auditIfNotExists/deployIfNotExists look for (a body or an array each, with ids; only those under, on or in the group or subscription of the resource count, as in Azure; none given = none exist); the resource group of the resource among them is what resourceGroup() reads',
    )
    .option('--params <file>', 'parameter values: {"effect": "Deny"} or {"effect": {"value": "Deny"}} (defaults otherwise)')
    .option('--json', 'print the verdict as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 compliant (also effect Disabled: compliant by default, as Azure reports it, though nothing was checked; the output says so), 1 non-compliant, 2 error / not evaluable (also a refused definition or bad input), 3 not applicable.\n\n' +
        'Example:\n  rampart policy test --policy Storage_DisallowPublicBlobAccess_Audit.json --resource storage.json --params deny.json',
    )
    .action((options: { policy: string; resource: string; related?: string[]; params?: string; json?: boolean }) => {
      let outcome: PolicyTestOutcome;
      try {
        const definition = readJson(options.policy, 'policy');
        const resource = toPolicyResource(readJson(options.resource, 'resource'), `resource ${options.resource}`);
        const related = (options.related ?? []).flatMap((file) => {
          const body = readJson(file, 'related resource file');
          return (Array.isArray(body) ? body : [body]).map((r, i) => toRelatedResource(r, `related resource ${file}${Array.isArray(body) ? `[${i}]` : ''}`));
        });
        const parameters = options.params ? parameterValues(readJson(options.params, 'parameters'), `parameters ${options.params}`) : {};
        outcome = policyTest(definition, resource, related, parameters);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        process.stderr.write(`rampart policy test: ${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ exitCode: outcome.exitCode, refusal: outcome.refusal, verdict: outcome.verdict }, null, 2)}\n`);
      } else if (outcome.refusal) {
        const where = outcome.refusal.path ? ` at ${outcome.refusal.path}` : '';
        process.stdout.write(`NOT EVALUABLE: the definition is refused (${outcome.refusal.reason}${where}): ${outcome.refusal.message}\n`);
      } else if (outcome.verdict) {
        process.stdout.write(`${headline(outcome.verdict)}\n${describeVerdict(outcome.verdict)}\n`);
      }
      process.exitCode = outcome.exitCode;
    });
};
