// `rampart policy import`: the plan as a table (or JSON), then, with --apply, the plan recorded.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Stores } from '@rampart/runtime';
import { printTable } from '../table';

export const POLICY_IMPORT_EXIT_CODES = { ok: 0, refused: 1, usage: 2 } as const;

const ACTION_WORDS = { add: 'add', change: 'change', unchanged: 'unchanged', refused: 'REFUSED', skipped: 'skipped' } as const;

export const runPolicyImport = async (
  folder: string,
  options: { apply?: boolean; json?: boolean; whatIf?: boolean; tenant?: string[]; forTenant?: string },
  withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>,
): Promise<void> => {
  if (options.whatIf && options.apply) {
    process.stderr.write('rampart policy import: --what-if records nothing; run it, then --apply\n');
    process.exitCode = POLICY_IMPORT_EXIT_CODES.usage;
    return;
  }
  const [{ applyPolicyImport, planPolicyImport, PolicyImportError, readPolicyFolder }, { tenantStanding }] = await Promise.all([
    import('@rampart/guardrails-application'),
    import('@rampart/tenancy-application'),
  ]);
  let files;
  try {
    files = await readPolicyFolder(folder);
  } catch (error) {
    if (!(error instanceof PolicyImportError)) throw error;
    process.stderr.write(`rampart policy import: ${error.message}\n`);
    process.exitCode = POLICY_IMPORT_EXIT_CODES.usage;
    return;
  }
  await withStores(async (stores) => {
    const { eventStore } = stores;
    // a tenant's own library, or the provider's
    const scope = options.forTenant === undefined ? {} : { tenantId: options.forTenant, standing: tenantStanding(eventStore) };
    const plan = await planPolicyImport(eventStore, files, scope);
    const whatIf = options.whatIf ? await (await import('@rampart/platform')).libraryWhatIf(stores, plan, { tenants: options.tenant, ...(options.forTenant ? { tenantId: options.forTenant } : {}) }) : undefined;
    let recorded: number | null = null;
    let proposedChangeId: string | null = null;
    let failure: string | null = null;
    if (options.apply && plan.applicable) {
      try {
        const applied = await applyPolicyImport(eventStore, files, { actor: { kind: 'user', id: `cli:${userInfo().username}` }, correlationId: randomUUID(), now: new Date() }, scope);
        if (applied.proposedChangeId) proposedChangeId = applied.proposedChangeId;
        else recorded = applied.recorded;
      } catch (error) {
        if (!(error instanceof PolicyImportError)) throw error;
        failure = error.message;
      }
    }
    if (options.json) {
      const items = plan.items.map(({ command: _command, ...item }) => item);
      process.stdout.write(`${JSON.stringify({ folder, files: files.length, counts: plan.counts, applicable: plan.applicable, applied: recorded !== null, recorded, proposedChangeId, items, ...(whatIf ? { whatIf } : {}) }, null, 2)}\n`);
    } else {
      if (plan.items.length) {
        printTable([
          ['action', 'kind', 'name', 'version', 'file', 'why'],
          ...plan.items.map((i) => [ACTION_WORDS[i.action], i.kind, i.name ?? '-', i.version === null ? '' : `v${i.version}`, `${i.path}${i.at ? ` ${i.at}` : ''}`, i.reasons.join('; ')]),
        ]);
      }
      const c = plan.counts;
      process.stdout.write(
        `\n${files.length} file${files.length === 1 ? '' : 's'}: ${c.add} to add, ${c.change} to change, ${c.unchanged} unchanged, ${c.refused} refused, ${c.skipped} skipped\n` +
          (!plan.applicable
            ? 'nothing was recorded: fix or remove what is refused, then run again\n'
            : proposedChangeId !== null
              ? `proposed as change ${proposedChangeId}: the library policy asks a second person to approve it, and nothing is published until then (rampart policy approve ${proposedChangeId})\n`
              : recorded !== null
              ? `recorded ${recorded} in ${options.forTenant ? `${options.forTenant}'s own library (its trail` : "the library (the provider's trail"} shows each version)\n`
              : c.add + c.change > 0
                ? 'this is the plan: run again with --apply to record it\n'
                : 'the library already holds all of it\n'),
      );
    }
    if (whatIf && !options.json) {
      process.stdout.write("\nwhat it would find, replayed over each tenant's recorded history (nothing recorded):\n");
      if (whatIf.length === 0) process.stdout.write('  no tenant follows what it adds or changes; name some with --tenant\n');
      else {
        printTable([
          ['definition', 'version', 'tenant', 'why', 'now', 'ever', 'since'],
          ...whatIf.map((w) => [w.member ? `${w.definition} / ${w.member}` : w.definition, w.version === null ? '' : `v${w.version}`, w.tenantId, w.reason, w.refusal ? `not replayed: ${w.refusal}` : String(w.nonCompliantNow), String(w.nonCompliantEver), w.since ?? '']),
        ]);
      }
    }
    if (failure) process.stderr.write(`rampart policy import: ${failure}\n`);
    process.exitCode = plan.applicable && !failure ? POLICY_IMPORT_EXIT_CODES.ok : POLICY_IMPORT_EXIT_CODES.refused;
  });
};
