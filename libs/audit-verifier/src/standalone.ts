// The standalone verifier an auditor runs without installing or trusting the platform: one
// JavaScript file (tools/build/verifier.js bundles this with the library's checks) that needs
// Node.js and nothing else. Same checks, words and exit codes as `rampart audit verify`; the key is
// always given, since there is no deployment to ask.
import { parseArgs } from 'node:util';
import { verifyAuditExportDir, VerifyInputError } from './folder';
import { readPublicKeys } from './keys';
import { VERIFY_EXIT_CODES, verificationReport } from './report';

export const STANDALONE_VERIFIER_NAME = 'rampart-audit-verify';

export interface VerifierIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The build's version, printed by --version. */
  readonly version: string;
}

const USAGE = `Usage: ${STANDALONE_VERIFIER_NAME} <export-folder> --public-key <pem-file|folder> [--previous <manifest.json>] [--json]

Checks a Rampart audit export offline: the Ed25519 signature of manifest.json, every file's size
and SHA-256, every line of events.ndjson (tenant, period, order, no gaps), and with --previous the
chain to the export before it. Needs Node.js 18 or later and nothing else.

Options:
  --public-key <pem-file|folder>   the provider's public key (SPKI PEM); check its key id with them.
                                   Repeat it, or give a folder of .pem files, for every key the provider
                                   has used: the one the manifest names is taken
  --previous <manifest.json>       the manifest of the export this one should follow
  --json                           print the result as JSON
  --max-problems-per-file <n>      problems listed per file before the rest are counted (default 20)
  --version                        print the verifier's version
  -h, --help                       print this help

Exit codes: 0 the export is intact, 1 problems found (each is printed), 2 usage error,
3 the verifier itself failed (a bug or an unreadable disk: the export is not verified).

Example:
  node ${STANDALONE_VERIFIER_NAME}.js contoso-2026-q2 --public-key rampart-audit.pem --previous contoso-2026-q1/manifest.json
`;

/** Runs one verification from command-line arguments; resolves to the exit code. */
export const runStandaloneVerifier = async (argv: readonly string[], io: VerifierIo): Promise<number> => {
  const usage = (message: string): number => {
    io.stderr(`${STANDALONE_VERIFIER_NAME}: ${message}\n`);
    return VERIFY_EXIT_CODES.usage;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'public-key': { type: 'string', multiple: true },
        previous: { type: 'string' },
        json: { type: 'boolean' },
        'max-problems-per-file': { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usage(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return VERIFY_EXIT_CODES.ok;
  }
  if (values.version) {
    io.stdout(`${io.version}\n`);
    return VERIFY_EXIT_CODES.ok;
  }
  const [dir, ...extra] = positionals;
  if (dir === undefined || extra.length) return usage(`expected one export folder, got ${positionals.length}\n\n${USAGE}`);
  const keyPaths = values['public-key'] ?? [];
  if (keyPaths.length === 0) return usage(`--public-key <pem-file> is required: the public key of the provider that made the export\n\n${USAGE}`);
  let maxProblemsPerFile: number | undefined;
  if (values['max-problems-per-file'] !== undefined) {
    maxProblemsPerFile = Number(values['max-problems-per-file']);
    if (!Number.isInteger(maxProblemsPerFile) || maxProblemsPerFile < 1) return usage('--max-problems-per-file takes a whole number of at least 1');
  }
  let result;
  try {
    const keys = readPublicKeys(keyPaths);
    result = await verifyAuditExportDir(dir, keys.length === 1 ? keys[0] : keys, { previousManifestPath: values.previous, maxProblemsPerFile });
  } catch (error) {
    if (error instanceof VerifyInputError) return usage(error.message);
    throw error;
  }
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const report = verificationReport(dir, result);
    io.stderr(report.stderr);
    io.stdout(report.stdout);
  }
  return result.ok ? VERIFY_EXIT_CODES.ok : VERIFY_EXIT_CODES.problems;
};
