// `rampart policy test`: evaluate Azure Policy definitions against resources, offline, and say why —
// the way to try a policy, or a whole library of them, without deploying anything. Exit codes are
// part of the interface, so scripts and CI pipelines can gate on them. The evaluation itself (and
// the guardrail engine it loads) is in policy-test.ts, imported when the command runs.
// `rampart policy import`: bring a folder of custom definitions and initiatives into the provider's
// policy library, planned first, applied only when told (policy-import.ts).
import type { Command } from 'commander';
import type { Stores } from '@rampart/runtime';

export const policyCommand = (program: Command, withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>): void => {
  const policy = program.command('policy').description('Azure Policy definitions, evaluated offline');
  policy
    .command('test')
    .description(
      'evaluate a policy definition against a resource and explain the verdict, without deploying anything; or, in one run, a folder of definitions against many resources with a summary table',
    )
    .requiredOption(
      '--policy <definition.json|folder>',
      'an Azure Policy definition (built-in export, ALZ file, or { "policyRule": … }), a JSON array of them, or a folder of such files (searched recursively)',
    )
    .requiredOption(
      '--resource <resource.json|folder>',
      'the resource: an ARM GET body, a Resource Graph row, or just { "type", "properties" }; or many: a JSON array, an ARM list ({ "value": [...] }), `az graph query` output ({ "data": [...] }), or a folder of such files',
    )
    .option(
      '--related <file...>',
      'resources auditIfNotExists/deployIfNotExists look for (a body or an array each, with ids; only those under, on or in the group or subscription of the resource count, as in Azure; none given = none exist); the resource group of the resource among them is what resourceGroup() reads',
    )
    .option(
      '--params <file>',
      'parameter values: {"effect": "Deny"} or {"effect": {"value": "Deny"}} (defaults otherwise); with several definitions each takes those it declares, and a value none declares is an error',
    )
    .option('--json', 'print the verdict (several: every result and the summary) as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 compliant (also effect Disabled: compliant by default, as Azure reports it, though nothing was checked; the output says so), 1 non-compliant, 2 error / not evaluable (also a refused definition or bad input), 3 not applicable.\n' +
        'With several definitions or resources: 2 if any definition was refused or any evaluation was an error, else 1 if any resource is non-compliant, else 0 if any is compliant, else 3. The table lists every result but "not applicable" ones, which the summary counts.\n\n' +
        'Examples:\n  rampart policy test --policy Storage_DisallowPublicBlobAccess_Audit.json --resource storage.json --params deny.json\n' +
        '  rampart policy test --policy ./policies --resource ./examples          # a library of definitions against example resources',
    )
    .action(async (options: { policy: string; resource: string; related?: string[]; params?: string; json?: boolean }) => {
      const { runPolicyTest } = await import('./policy-test.ts');
      runPolicyTest(options);
    });

  policy
    .command('import')
    .description("plan importing a folder of custom Azure Policy definitions and initiatives into the provider's policy library; --apply records the plan")
    .argument('<folder>', 'plain Azure Policy JSON, ARM templates or exports, an Azure Landing Zones library (policyDefinitions/, policySetDefinitions/), or an EPAC Definitions folder; .json and .jsonc, searched recursively')
    .option('--apply', 'record the plan in the library (nothing is recorded when any item is refused)')
    .option('--what-if', "replay each definition the import adds or changes over the recorded history of the tenants whose assignments follow it (and those given with --tenant): what it would find, records nothing")
    .option('--tenant <tenant-id...>', 'with --what-if: tenants to replay for as well (a new definition is assigned to none yet)')
    .option('--for-tenant <tenant-id>', "import into that tenant's own library (only that tenant can be held to it; its initiatives may hold the provider's definitions too)")
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      '\nEach definition and initiative is added, changed (a new version; the old one stays readable), unchanged, or refused with the reasons;\n' +
        "Rampart's own metadata rides in properties.metadata.rampart (severity, remediation, playbookId, controls), which Azure ignores.\n" +
        'Exit codes: 0 the plan holds nothing refused (and, with --apply, was recorded), 1 something is refused (nothing recorded), 2 usage error.\n\n' +
        'Examples:\n  rampart policy import ./alz-library                 # the plan\n  rampart policy import ./alz-library --what-if --tenant contoso-bank   # what it would find there\n  rampart policy import ./alz-library --apply         # record it\n  rampart policy import ./bank-policies --for-tenant contoso-bank --apply   # the tenant\'s own library (assign tenant-definition:<name>)',
    )
    .action(async (folder: string, options: { apply?: boolean; json?: boolean; whatIf?: boolean; tenant?: string[]; forTenant?: string }) => {
      const { runPolicyImport } = await import('./policy-import.ts');
      await runPolicyImport(folder, options, withStores);
    });

  policy
    .command('changes')
    .description('library changes proposed for a second person to approve, and what became of them')
    .option('--status <status>', 'proposed, approved, applied or rejected')
    .option('--json', 'print them as JSON')
    .action(async (options: { status?: string; json?: boolean }) => {
      const { runLibraryChanges } = await import('./policy-approval.ts');
      await runLibraryChanges(options, withStores);
    });

  policy
    .command('approve')
    .description('approve a proposed library change (someone other than its proposer): what it holds is published')
    .argument('<change-id>', 'as `rampart policy changes` lists it')
    .action(async (changeId: string) => {
      const { runApproveLibraryChange } = await import('./policy-approval.ts');
      await runApproveLibraryChange(changeId, withStores);
    });

  policy
    .command('reject')
    .description('decline a proposed library change, or withdraw your own: nothing of it is published')
    .argument('<change-id>', 'as `rampart policy changes` lists it')
    .requiredOption('--reason <text>', "why, in 3-500 characters: the provider's trail keeps it")
    .action(async (changeId: string, options: { reason: string }) => {
      const { runRejectLibraryChange } = await import('./policy-approval.ts');
      await runRejectLibraryChange(changeId, options.reason, withStores);
    });

  policy
    .command('approval')
    .description("whether each library change needs a second person (the provider's library policy)")
    .argument('[setting]', '`required` or `off`; without it, shows the setting')
    .addHelpText('after', '\nRequiring approval takes effect at once; turning it off while it is on is proposed, for someone else to approve.')
    .action(async (setting: string | undefined) => {
      const { runLibraryApproval } = await import('./policy-approval.ts');
      await runLibraryApproval(setting, withStores);
    });

  policy
    .command('retire')
    .description("retire a definition or initiative of the provider's policy library: kept for history, no longer offered to new assignments")
    .argument('<kind>', '`definition` or `initiative`')
    .argument('<name>', "its name in the library (Azure's name)")
    .requiredOption('--reason <text>', "why, in 3-500 characters: the provider's trail keeps it")
    .option('--for-tenant <tenant-id>', "in that tenant's own library")
    .addHelpText(
      'after',
      '\nAssignments already made keep evaluating the version they hold until someone changes them; importing it again brings it back as a new version.\n' +
        'A definition that a live initiative holds is refused: retire the initiative first, or publish it without the definition.\n\n' +
        "Example:\n  rampart policy retire definition Deny-Storage-NetworkAclsBypass --reason 'replaced by the built-in'",
    )
    .action(async (kind: string, name: string, options: { reason: string; forTenant?: string }) => {
      if (kind !== 'definition' && kind !== 'initiative') {
        process.stderr.write('rampart policy retire: <kind> is definition or initiative\n');
        process.exitCode = 2;
        return;
      }
      const [{ retireLibraryArtifact }, { tenantStanding }, { randomUUID }, { userInfo }] = await Promise.all([
        import('@rampart/guardrails-application'),
        import('@rampart/tenancy-application'),
        import('node:crypto'),
        import('node:os'),
      ]);
      await withStores(async ({ eventStore }) => {
        const scope = options.forTenant === undefined ? {} : { tenantId: options.forTenant, standing: tenantStanding(eventStore) };
        const outcome = await retireLibraryArtifact(eventStore, { kind, name, reason: options.reason }, { actor: { kind: 'user', id: `cli:${userInfo().username}` }, correlationId: randomUUID(), now: new Date() }, scope);
        if (!outcome.ok) {
          process.stderr.write(`rampart policy retire: not retired: ${outcome.rejection.code}${outcome.rejection.message ? ` (${outcome.rejection.message})` : ''}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`retired ${kind} ${name}; its versions stay readable, and assignments keep the version they hold\n`);
      });
    });
};
