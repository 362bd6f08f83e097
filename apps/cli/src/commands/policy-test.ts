// What `rampart policy test` runs: one definition against one resource with the full explanation, or
// a batch — definitions (an array, a folder) against resources (an array, a list, a folder), each
// definition compiled once — with one row per result and a summary.
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import {
  compilePolicy,
  describeVerdict,
  parameterValuesOf,
  resourceGroupInfoOf,
  resourceGroupKeyOf,
  type CompiledPolicy,
  type ComplianceState,
  type PolicyResource,
  type ResourceGroupInfo,
  type Verdict,
} from '@rampart/guardrails';
import { armIdType } from '@rampart/resource-model';
import { InputError, readJson } from '../command-support';
import { printTable } from '../table';

/** A definition whose effect is Disabled is compliant by default (as Azure reports it): 0, labelled as not evaluated. */
export const POLICY_TEST_EXIT_CODES: Readonly<Record<ComplianceState | 'refused', number>> = {
  compliant: 0,
  nonCompliant: 1,
  error: 2,
  refused: 2,
  notApplicable: 3,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A resource as users have it at hand: an ARM GET body, a Resource Graph row, or a bare body with
 * only `type` and `properties` (no id, no name). ARM omits the type from some child resources' bodies
 * (a subnet, an AKS agent pool); their id says it.
 */
export const toPolicyResource = (body: unknown, what: string): PolicyResource => {
  if (!isObject(body)) throw new InputError(`${what} must be a JSON object (an ARM resource body)`);
  const id = typeof body['id'] === 'string' ? body['id'] : undefined;
  const type = typeof body['type'] === 'string' ? body['type'] : id ? armIdType(id) : undefined;
  if (typeof type !== 'string' || !type.includes('/')) {
    throw new InputError(`${what} needs a "type" such as "Microsoft.Storage/storageAccounts" (or an ARM "id" to read it from)`);
  }
  const name = typeof body['name'] === 'string' ? body['name'] : (id?.split('/').filter(Boolean).pop() ?? 'resource');
  return { ...body, name, type, tags: isObject(body['tags']) ? (body['tags'] as Record<string, string>) : {} } as PolicyResource;
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

const evaluateCompiled = (policy: CompiledPolicy, resource: PolicyResource, related: readonly PolicyResource[], parameters: Record<string, unknown>): Verdict =>
  policy.evaluate(resource, { parameters, related: () => related, resourceGroup: resourceGroupAmong(resource, related) });

/**
 * Every related resource given is offered; the engine keeps those of the type and name asked for,
 * where Azure looks. The resource's group among them is what resourceGroup() reads; without it only
 * the group's name is known (from the resource's id).
 */
export const policyTest = (definition: unknown, resource: PolicyResource, related: readonly PolicyResource[], parameters: Record<string, unknown>): PolicyTestOutcome => {
  const compiled = compilePolicy(definition);
  if (!compiled.ok) return { exitCode: POLICY_TEST_EXIT_CODES.refused, refusal: compiled.refusal };
  const verdict = evaluateCompiled(compiled.policy, resource, related, parameters);
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

// ---------------------------------------------------------------------------------------------
// Inputs: one or many

interface Named<T> {
  /** How the table names it: its file (relative to the folder given), or in an array its own name or `file[i]`. */
  readonly label: string;
  readonly value: T;
}

/** The path itself, or the JSON files under the folder (recursively, in name order) with their paths relative to it. */
const jsonFilesAt = (path: string, what: string): { file: string; label: string; single: boolean }[] => {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    throw new InputError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!isFolder) return [{ file: path, label: basename(path).replace(/\.json$/i, ''), single: true }];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) files.push(full);
    }
  };
  walk(path);
  if (files.length === 0) throw new InputError(`${what} folder ${path} holds no .json file`);
  return files.map((file) => ({ file, label: relative(path, file).replace(/\.json$/i, ''), single: false }));
};

/** What a --policy or --resource path holds; `one` when it is a file with a single object (not an array or list of them). */
interface Found<T> {
  readonly items: Named<T>[];
  readonly one: boolean;
}

/** Definitions: a file with one (an object) or several (an array), or a folder of such files. */
const definitionsAt = (path: string): Found<unknown> => {
  const files = jsonFilesAt(path, 'policy');
  let one = files.length === 1 && files[0].single;
  const items = files.flatMap(({ file, label }) => {
    const body = readJson(file, 'policy');
    if (!Array.isArray(body)) return [{ label, value: body }];
    one = false;
    return body.map((value, i) => ({ label: `${label}[${i}]`, value }));
  });
  return { items, one };
};

/** The resources a body holds: itself, an array's elements, an ARM list's `value` or `az graph query`'s `data`. */
const resourceBodies = (body: unknown): { many: boolean; bodies: unknown[] } => {
  if (Array.isArray(body)) return { many: true, bodies: body };
  if (isObject(body) && body['type'] === undefined) {
    for (const key of ['value', 'data']) if (Array.isArray(body[key])) return { many: true, bodies: body[key] as unknown[] };
  }
  return { many: false, bodies: [body] };
};

/** Resources: a body, an array or list of them, or a folder of such files; named by their file, or in a list by their own name. */
const resourcesAt = (path: string): Found<PolicyResource> => {
  const files = jsonFilesAt(path, 'resource');
  let one = files.length === 1 && files[0].single;
  const items = files.flatMap(({ file, label }) => {
    const { many, bodies } = resourceBodies(readJson(file, 'resource'));
    if (many) one = false;
    return bodies.map((body, i) => {
      const resource = toPolicyResource(body, `resource ${file}${many ? `[${i}]` : ''}`);
      const named = isObject(body) && (typeof body['name'] === 'string' || typeof body['id'] === 'string');
      return { label: !many ? label : named ? resource.name : `${label}[${i}]`, value: resource };
    });
  });
  return { items, one };
};

const relatedAt = (files: readonly string[]): PolicyResource[] =>
  files.flatMap((file) => {
    const body = readJson(file, 'related resource file');
    return (Array.isArray(body) ? body : [body]).map((r, i) => toRelatedResource(r, `related resource ${file}${Array.isArray(body) ? `[${i}]` : ''}`));
  });

// ---------------------------------------------------------------------------------------------
// The command

export interface PolicyTestOptions {
  readonly policy: string;
  readonly resource: string;
  readonly related?: readonly string[];
  readonly params?: string;
  readonly json?: boolean;
}

interface Inputs {
  readonly definitions: Named<unknown>[];
  readonly resources: Named<PolicyResource>[];
  readonly related: PolicyResource[];
  readonly parameters: Record<string, unknown>;
  /** One definition file against one resource body: the single form's full explanation. */
  readonly single: boolean;
}

const readInputs = (options: PolicyTestOptions): Inputs => {
  const definitions = definitionsAt(options.policy);
  const resources = resourcesAt(options.resource);
  if (definitions.items.length === 0) throw new InputError(`policy ${options.policy} holds no definition`);
  if (resources.items.length === 0) throw new InputError(`resource ${options.resource} holds no resource`);
  const related = relatedAt(options.related ?? []);
  const parameters = options.params ? parameterValues(readJson(options.params, 'parameters'), `parameters ${options.params}`) : {};
  return { definitions: definitions.items, resources: resources.items, related, parameters, single: definitions.one && resources.one };
};

export const runPolicyTest = (options: PolicyTestOptions): void => {
  try {
    const inputs = readInputs(options);
    if (inputs.single) {
      const outcome = policyTest(inputs.definitions[0].value, inputs.resources[0].value, inputs.related, inputs.parameters);
      printSingle(outcome, options.json);
      process.exitCode = outcome.exitCode;
      return;
    }
    const batch = runBatch(inputs);
    printBatch(batch, inputs, options.json);
    process.exitCode = batch.exitCode;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`rampart policy test: ${error.message}\n`);
    process.exitCode = 2;
  }
};

const printSingle = (outcome: PolicyTestOutcome, json?: boolean): void => {
  if (json) {
    process.stdout.write(`${JSON.stringify({ exitCode: outcome.exitCode, refusal: outcome.refusal, verdict: outcome.verdict }, null, 2)}\n`);
  } else if (outcome.refusal) {
    const where = outcome.refusal.path ? ` at ${outcome.refusal.path}` : '';
    process.stdout.write(`NOT EVALUABLE: the definition is refused (${outcome.refusal.reason}${where}): ${outcome.refusal.message}\n`);
  } else if (outcome.verdict) {
    process.stdout.write(`${headline(outcome.verdict)}\n${describeVerdict(outcome.verdict)}\n`);
  }
};

interface BatchResult {
  readonly definition: string;
  readonly resource: string;
  readonly exitCode: number;
  readonly verdict: Verdict;
}

interface Batch {
  readonly exitCode: number;
  readonly results: BatchResult[];
  readonly refused: { definition: string; refusal: { reason: string; message: string; path?: string } }[];
  readonly counts: Record<ComplianceState, number>;
}

/**
 * With several definitions, each takes the parameter values it declares (parameter names are
 * case-insensitive, as in Azure); a value that no definition declares is a typo to report, not to skip.
 */
const parametersFor = (policy: CompiledPolicy, parameters: Record<string, unknown>, several: boolean): Record<string, unknown> => {
  if (!several) return parameters;
  const declared = new Set(policy.parameters.map((p) => p.name.toLowerCase()));
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => declared.has(name.toLowerCase())));
};

const runBatch = ({ definitions, resources, related, parameters }: Inputs): Batch => {
  const results: BatchResult[] = [];
  const refused: Batch['refused'] = [];
  const counts: Record<ComplianceState, number> = { compliant: 0, nonCompliant: 0, error: 0, notApplicable: 0 };
  const used = new Set<string>();
  const several = definitions.length > 1;
  for (const definition of definitions) {
    const compiled = compilePolicy(definition.value);
    if (!compiled.ok) {
      refused.push({ definition: definition.label, refusal: compiled.refusal });
      continue;
    }
    const own = parametersFor(compiled.policy, parameters, several);
    for (const name of Object.keys(own)) used.add(name.toLowerCase());
    for (const resource of resources) {
      const verdict = evaluateCompiled(compiled.policy, resource.value, related, own);
      counts[verdict.state] += 1;
      results.push({ definition: definition.label, resource: resource.label, exitCode: POLICY_TEST_EXIT_CODES[verdict.state], verdict });
    }
  }
  const unused = Object.keys(parameters).filter((name) => !used.has(name.toLowerCase()));
  if (several && unused.length && refused.length < definitions.length) {
    throw new InputError(`no definition given declares the parameter${unused.length > 1 ? 's' : ''} ${unused.map((n) => `"${n}"`).join(', ')}`);
  }
  const exitCode =
    refused.length || counts.error ? POLICY_TEST_EXIT_CODES.error
    : counts.nonCompliant ? POLICY_TEST_EXIT_CODES.nonCompliant
    : counts.compliant ? POLICY_TEST_EXIT_CODES.compliant
    : POLICY_TEST_EXIT_CODES.notApplicable;
  return { exitCode, results, refused, counts };
};

const RESULT_WORDS: Record<ComplianceState, string> = { compliant: 'compliant', nonCompliant: 'NON-COMPLIANT', notApplicable: 'not applicable', error: 'ERROR' };

const clip = (text: string, width = 100) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** The most specific line of the explanation: the last deciding condition, or the summary. */
const why = (verdict: Verdict): string => {
  const lines = describeVerdict(verdict).split('\n');
  return clip((lines.length > 1 ? lines[lines.length - 1] : lines[0]).trim());
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const printBatch = (batch: Batch, inputs: Inputs, json?: boolean): void => {
  const { counts } = batch;
  const summary = {
    definitions: inputs.definitions.length,
    refused: batch.refused.length,
    resources: inputs.resources.length,
    evaluations: batch.results.length,
    ...counts,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify({ exitCode: batch.exitCode, summary, refused: batch.refused, results: batch.results }, null, 2)}\n`);
    return;
  }
  const shown = batch.results.filter((r) => r.verdict.state !== 'notApplicable');
  if (shown.length) {
    printTable([
      ['definition', 'resource', 'result', 'effect', 'why'],
      ...shown.map((r) => [r.definition, r.resource, r.verdict.disabled ? 'compliant (Disabled, not evaluated)' : RESULT_WORDS[r.verdict.state], r.verdict.effect, why(r.verdict)]),
    ]);
    process.stdout.write('\n');
  }
  if (batch.refused.length) {
    printTable([
      ['refused definition', 'reason'],
      ...batch.refused.map((r) => [r.definition, clip(`${r.refusal.reason}${r.refusal.path ? ` at ${r.refusal.path}` : ''}: ${r.refusal.message}`, 120)]),
    ]);
    process.stdout.write('\n');
  }
  process.stdout.write(
    `${plural(summary.definitions, 'definition')} (${summary.refused} refused) × ${plural(summary.resources, 'resource')}: ${plural(summary.evaluations, 'evaluation')} — ` +
      `${counts.nonCompliant} non-compliant, ${counts.compliant} compliant, ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.notApplicable} not applicable${counts.notApplicable ? ' (not listed)' : ''}\n`,
  );
};
