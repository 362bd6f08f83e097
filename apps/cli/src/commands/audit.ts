// `rampart audit`: export a tenant's audit trail as signed files, verify such an export offline (all
// an auditor needs is the folder and the public key), and print the public key to hand them.
// Verification's exit codes are part of the interface: 0 intact, 1 problems found, 2 usage error.
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { VerifyResult } from '@rampart/audit';
import type { VERIFY_EXIT_CODES } from '@rampart/audit-verifier';
import type { RampartConfig, Stores } from '@rampart/runtime';
import { progressLine } from '../command-support';
import { cliVersion } from '../version';

/**
 * The standalone verifier's exit codes (the two are interchangeable in an auditor's script), written
 * out so that loading this module does not load the verifier: the type holds them equal.
 */
export const AUDIT_VERIFY_EXIT_CODES = { ok: 0, problems: 1, usage: 2 } as const satisfies Omit<typeof VERIFY_EXIT_CODES, 'failed'>;

/** A date (midnight UTC) or a date-time with its zone: a period must not depend on the machine's time zone. */
const instant = (value: string): Date => {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('expected a date (2026-01-01, midnight UTC) or a date-time with its zone (2026-01-01T08:00:00Z, 2026-01-01T09:00:00+01:00)');
  }
  return new Date(value);
};

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

/** Commander's own usage errors (a missing argument, an unknown option) exit 2 too, not 1. */
const usageErrorsExit2 = (command: Command): Command =>
  command.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : AUDIT_VERIFY_EXIT_CODES.usage);
  });

export const auditCommand = (program: Command, withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>, config: () => Promise<RampartConfig>): void => {
  const audit = program.command('audit').description("a tenant's audit trail: signed, chained exports an auditor verifies offline");

  audit
    .command('export')
    .description("export every event of a tenant in a period: events.ndjson, events.csv, OSCAL assessment results, OCSF, and a signed manifest")
    .requiredOption('--tenant <tenant-id>', 'the tenant whose trail to export')
    .requiredOption('--from <date>', 'start of the period, inclusive (2026-01-01 or 2026-01-01T00:00:00Z)', instant)
    .requiredOption('--to <date>', 'end of the period, exclusive, not in the future', instant)
    .requiredOption('--out <dir>', 'a new or empty folder for the files')
    .addHelpText(
      'after',
      '\nThe export is recorded in the tenant\'s trail, and its manifest names the previous export\'s manifest (a chain).\n\n' +
        'Example:\n  rampart audit export --tenant contoso-bank --from 2026-01-01 --to 2026-04-01 --out contoso-2026-q1\n  rampart audit public-key > rampart-audit.pem\n  rampart audit verify contoso-2026-q1 --public-key rampart-audit.pem',
    )
    .action(async (options: { tenant: string; from: Date; to: Date; out: string }) => {
      const [{ exportAuditTrail, loadAuditSigningKey }, { auditExportPorts }] = await Promise.all([import('@rampart/audit-application'), import('@rampart/platform')]);
      const cfg = await config();
      const key = await loadAuditSigningKey(cfg);
      await withStores(async (stores) => {
        const started = Date.now();
        const progress = progressLine();
        const result = await exportAuditTrail(stores, {
          tenantId: options.tenant,
          from: options.from,
          to: options.to,
          outDir: options.out,
          signingKey: key.privateKey,
          actor: { kind: 'user', id: `cli:${userInfo().username}` },
          product: { name: 'Rampart', version: cliVersion() },
          ...auditExportPorts(stores),
          onProgress: (p) =>
            progress.show(`exporting: ${p.eventsRead} events read, ${p.eventsWritten} exported${p.phase === 'reading' ? '' : `, ${p.phase}`}`, p.phase !== 'reading'),
        });
        progress.done();
        const m = result.manifest;
        process.stdout.write(
          `export ${m.exportId} of ${m.tenantId}, [${m.from}, ${m.to}): ${m.eventCount} events (${result.eventsRead} read) in ${seconds(started)} s\n` +
            `  folder    ${result.outDir}\n` +
            `  manifest  SHA-256 ${result.manifestSha256}\n` +
            `  chain     ${m.previousManifestSha256 ? `follows manifest ${m.previousManifestSha256}` : "the tenant's first export"}\n` +
            `  signed    Ed25519 by key ${m.signature.keyId}\n`,
        );
        for (const f of m.files) process.stdout.write(`  ${f.name.padEnd(30)} ${String(f.bytes).padStart(12)} bytes  ${f.sha256}\n`);
      });
    });

  usageErrorsExit2(
    audit
      .command('verify')
      .description('check an export offline: signature, file sizes and digests, every event line, and the chain to a previous manifest')
      .argument('<dir>', 'the export folder')
      .option(
        '--public-key <pem-file|folder>',
        "the deployment's public key (rampart audit public-key); repeat it, or give a folder of .pem files, for every key it has signed with (the one the manifest names is taken); default: this deployment's own",
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option('--previous <manifest-json>', 'the manifest of the export this one should follow')
      .option('--json', 'print the result as JSON')
      .addHelpText('after', '\nExit codes: 0 the export is intact, 1 problems found (each is printed), 2 usage error (no such folder, unreadable key).'),
  ).action(async (dir: string, options: { publicKey?: string[]; previous?: string; json?: boolean }) => {
    // Only the verification code: the deployment's configuration and key store (the runtime, its
    // logger and metrics) load only when no key is given, and are most of a short run's start-up.
    const { readPublicKeys, verificationReport, verifyAuditExportDir, VerifyInputError } = await import('@rampart/audit-verifier');
    const usage = (message: string): void => {
      process.stderr.write(`rampart audit verify: ${message}\n`);
      process.exitCode = AUDIT_VERIFY_EXIT_CODES.usage;
    };
    let publicKey: string | string[];
    if (options.publicKey?.length) {
      try {
        const keys = readPublicKeys(options.publicKey);
        publicKey = keys.length === 1 ? keys[0] : keys;
      } catch (error) {
        if (!(error instanceof VerifyInputError)) throw error;
        return usage(error.message);
      }
    } else {
      const { AuditSigningKeyError, loadAuditSigningKey } = await import('@rampart/audit-application');
      try {
        publicKey = (await loadAuditSigningKey(await config(), { create: false })).publicKeyPem;
      } catch (error) {
        if (!(error instanceof AuditSigningKeyError)) throw error;
        return usage(`${error.message}\ngive the public key of the deployment that made the export: --public-key <pem-file>`);
      }
    }
    let result: VerifyResult;
    try {
      result = await verifyAuditExportDir(dir, publicKey, { previousManifestPath: options.previous });
    } catch (error) {
      if (!(error instanceof VerifyInputError)) throw error;
      return usage(error.message);
    }
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const report = verificationReport(dir, result);
      process.stderr.write(report.stderr);
      process.stdout.write(report.stdout);
    }
    process.exitCode = result.ok ? AUDIT_VERIFY_EXIT_CODES.ok : AUDIT_VERIFY_EXIT_CODES.problems;
  });

  audit
    .command('public-key')
    .description('print the public key (PEM) that verifies this deployment\'s exports; its key id goes to stderr')
    .action(async () => {
      const { loadAuditSigningKey } = await import('@rampart/audit-application');
      const key = await loadAuditSigningKey(await config());
      process.stdout.write(key.publicKeyPem.endsWith('\n') ? key.publicKeyPem : `${key.publicKeyPem}\n`);
      process.stderr.write(`key id (SHA-256 of the SPKI DER): ${key.keyId}\n`);
    });
};
