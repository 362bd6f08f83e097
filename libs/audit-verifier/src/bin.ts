// Entry point of the standalone verifier's bundle (tools/build/verifier.js), not of the library.
import { VERIFY_EXIT_CODES } from './report';
import { runStandaloneVerifier } from './standalone';

/** Set by the build (esbuild's define). */
declare const RAMPART_VERIFIER_VERSION: string;

runStandaloneVerifier(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  version: RAMPART_VERIFIER_VERSION,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rampart-audit-verify: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = VERIFY_EXIT_CODES.failed;
  },
);
