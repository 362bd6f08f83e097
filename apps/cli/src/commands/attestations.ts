// `rampart attestations`: manual evidence for the controls no rule can check, through guardrails'
// use cases (the same the API calls): record one with its evidence files (stored by content hash),
// approve or reject it where the tenant's policy wants a second person, revoke it, list them, read
// an evidence file back, and set the tenant's attestation policy.
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Stores } from '@rampart/runtime';
import { catchUp, failIfRefused } from '../command-support';
import { printTable } from '../table';

type WithStores = <T>(fn: (s: Stores) => Promise<T>) => Promise<T>;

/** The person at the keyboard: the one who attests, approves or revokes. */
const person = () => `cli:${userInfo().username}`;
const context = (tenantId: string) => ({ tenantId, actor: { kind: 'user' as const, id: person() }, correlationId: randomUUID(), now: new Date() });

/** Media types of the files evidence usually is; anything else is stored as bytes. */
const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const validUntilOf = (options: { validUntil?: string; validDays?: string }): string => {
  if (options.validUntil && options.validDays) throw new Error('give --valid-until or --valid-days, not both');
  if (options.validUntil) return options.validUntil;
  const days = Number(options.validDays ?? '90');
  if (!Number.isInteger(days) || days < 1) throw new Error('--valid-days is a whole number of days, at least 1');
  return new Date(Date.now() + days * 86_400_000).toISOString();
};

export const attestationsCommand = (program: Command, withStores: WithStores): void => {
  const attestations = program.command('attestations').description("manual evidence for the controls no rule can check: a named person's statement, evidence files, a validity");

  attestations
    .command('list')
    .description("a tenant's attestations, newest first")
    .requiredOption('--tenant <tenant-id>')
    .option('--standard <standard-id>', 'only those of this standard')
    .option('--status <status>', 'pending | active | rejected | revoked | expired')
    .option('--json', 'print them as JSON')
    .action(async (options: { tenant: string; standard?: string; status?: string; json?: boolean }) => {
      const { listAttestations } = await import('@rampart/guardrails-application');
      await withStores(async (stores) => {
        const rows = await listAttestations(stores, options.tenant, { standardId: options.standard, status: options.status as never });
        if (options.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        if (rows.length === 0) return void process.stdout.write(`no attestation for ${options.tenant} yet: rampart attestations record --tenant ${options.tenant} --standard <id> --control <id> …\n`);
        printTable([
          ['attestation', 'standard', 'control', 'status', 'by', 'approved by', 'valid until', 'evidence'],
          ...rows.map((a) => [a.attestationId, a.standardId, a.controlId, a.status, a.attestedBy, a.approvedBy ?? '-', a.validUntil, a.evidence.map((f) => `${f.name} (${f.sha256.slice(0, 12)})`).join(', ') || '-']),
        ]);
      });
    });

  attestations
    .command('record')
    .description('attest that a control no rule checks is met; evidence files are stored by their SHA-256')
    .requiredOption('--tenant <tenant-id>')
    .requiredOption('--standard <standard-id>', 'e.g. nist-sp-800-53-r5, mcsb (rampart standards list)')
    .requiredOption('--control <control-id>', 'e.g. AC-1')
    .requiredOption('--statement <text>', 'how the control is met, 20 to 8,000 characters')
    .option('--evidence <file...>', 'evidence files (each at most 10 MB)')
    .option('--valid-until <instant>', 'ISO-8601, at most 366 days ahead')
    .option('--valid-days <n>', 'or: valid this many days from now (default 90)')
    .option('--id <attestation-id>', 'default: a new one')
    .action(async (options: { tenant: string; standard: string; control: string; statement: string; evidence?: string[]; validUntil?: string; validDays?: string; id?: string }) => {
      const [{ EvidenceStore, recordAttestation }, { tenantStanding }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/tenancy-application')]);
      const validUntil = validUntilOf(options);
      const files = await Promise.all((options.evidence ?? []).map(async (path) => ({ path, content: await readFile(path) })));
      await withStores(async (stores) => {
        const evidence = await EvidenceStore.open(stores.readModels);
        const stored = [];
        for (const file of files) {
          const s = await evidence.put(options.tenant, file.content, { name: basename(file.path), mediaType: MEDIA_TYPES[extname(file.path).toLowerCase()] });
          process.stdout.write(`stored ${s.name}: sha256 ${s.sha256}, ${s.size} bytes\n`);
          stored.push({ sha256: s.sha256, name: s.name });
        }
        const outcome = await recordAttestation({ eventStore: stores.eventStore, standing: tenantStanding(stores.eventStore), evidence }, context(options.tenant), {
          attestationId: options.id,
          standardId: options.standard,
          controlId: options.control,
          statement: options.statement,
          evidence: stored,
          attestedBy: person(),
          validUntil,
        });
        failIfRefused('not recorded', outcome);
        await catchUp(stores);
        const pending = outcome.ok && outcome.events.some((e) => e.type === 'guardrails.AttestationRecorded.v1' && (e.data as { approvalRequired: boolean }).approvalRequired);
        process.stdout.write(
          `recorded attestation ${outcome.attestationId} of ${options.standard} ${options.control} until ${new Date(validUntil).toISOString()}${pending ? "; it holds once another person approves it: rampart attestations approve " + outcome.attestationId + ' --tenant ' + options.tenant : ''}\n`,
        );
      });
    });

  for (const [verb, kind, needsReason] of [
    ['approve', 'ApproveAttestation', false],
    ['reject', 'RejectAttestation', true],
    ['revoke', 'RevokeAttestation', true],
  ] as const) {
    attestations
      .command(verb)
      .description(verb === 'approve' ? 'approve an attestation awaiting a second person (not the one who attested)' : verb === 'reject' ? 'reject an attestation awaiting a second person' : 'end an attestation before its time')
      .argument('<attestation-id>')
      .requiredOption('--tenant <tenant-id>')
      .option('--reason <text>', needsReason ? 'why (required)' : 'not used')
      .action(async (attestationId: string, options: { tenant: string; reason?: string }) => {
        const [{ changeAttestation }, { tenantStanding }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/tenancy-application')]);
        await withStores(async (stores) => {
          const command =
            kind === 'ApproveAttestation'
              ? { kind, approvedBy: person(), now: new Date() }
              : kind === 'RejectAttestation'
                ? { kind, rejectedBy: person(), reason: options.reason ?? '' }
                : { kind, revokedBy: person(), reason: options.reason ?? '' };
          failIfRefused(`not ${verb === 'approve' ? 'approved' : verb === 'reject' ? 'rejected' : 'revoked'}`, await changeAttestation({ eventStore: stores.eventStore, standing: tenantStanding(stores.eventStore) }, context(options.tenant), attestationId, command));
          await catchUp(stores);
          process.stdout.write(`${attestationId} ${verb === 'approve' ? 'approved: it holds now' : verb === 'reject' ? 'rejected' : 'revoked: its control needs evidence again'}\n`);
        });
      });
  }

  attestations
    .command('evidence')
    .description('write an evidence file of the tenant, by its SHA-256, and check its digest')
    .argument('<sha256>')
    .requiredOption('--tenant <tenant-id>')
    .requiredOption('--out <file>', 'where to write it')
    .action(async (sha256: string, options: { tenant: string; out: string }) => {
      const { EvidenceStore } = await import('@rampart/guardrails-application');
      const { createHash } = await import('node:crypto');
      await withStores(async (stores) => {
        const file = await (await EvidenceStore.open(stores.readModels)).read(options.tenant, sha256.toLowerCase());
        if (!file) throw new Error(`tenant ${options.tenant} has no evidence file ${sha256}`);
        if (createHash('sha256').update(file.content).digest('hex') !== file.sha256) throw new Error(`the stored bytes of ${sha256} do not match their digest: the store was altered`);
        await writeFile(options.out, file.content);
        process.stdout.write(`wrote ${file.name} (${file.size} bytes, sha256 ${file.sha256}) to ${options.out}\n`);
      });
    });

  attestations
    .command('policy')
    .description("whether the tenant's attestations hold only once a second person approves them")
    .requiredOption('--tenant <tenant-id>')
    .requiredOption('--approval <required|not-required>')
    .action(async (options: { tenant: string; approval: string }) => {
      if (options.approval !== 'required' && options.approval !== 'not-required') throw new Error('--approval is required or not-required');
      const [{ changeTenantGuardrails }, { tenantStanding }] = await Promise.all([import('@rampart/guardrails-application'), import('@rampart/tenancy-application')]);
      await withStores(async (stores) => {
        const approvalRequired = options.approval === 'required';
        failIfRefused('not set', await changeTenantGuardrails({ eventStore: stores.eventStore, standing: tenantStanding(stores.eventStore) }, context(options.tenant), { kind: 'SetAttestationPolicy', approvalRequired }));
        process.stdout.write(`${options.tenant}: attestations ${approvalRequired ? 'need a second person' : 'hold without a second person'} from the next one recorded\n`);
      });
    });
};
