// What a verification says to a person: the same words from `rampart audit verify` and from the
// standalone verifier, so an auditor's notes read the same whichever one they ran.
import type { VerifyResult } from '@rampart/audit';

/** Exit codes of both verifiers: part of their interface, scripts test them. */
export const VERIFY_EXIT_CODES = { ok: 0, problems: 1, usage: 2, failed: 3 } as const;

export interface VerificationReport {
  /** The verdict and, on failure, every problem. */
  readonly stdout: string;
  /** Warnings: worth knowing, not failures. */
  readonly stderr: string;
}

export const verificationReport = (dir: string, result: VerifyResult): VerificationReport => {
  const s = result.summary;
  const stderr = result.warnings.map((warning) => `warning: ${warning}\n`).join('');
  if (result.ok && s) {
    const chain = s.chainChecked
      ? `follows the previous manifest given (${s.previousManifestSha256})`
      : s.previousManifestSha256
        ? `follows manifest ${s.previousManifestSha256} (give --previous to check it)`
        : "the tenant's first export";
    return {
      stderr,
      stdout:
        `OK: ${dir} is intact\n` +
        `  export   ${s.exportId} of tenant ${s.tenantId}, [${s.from}, ${s.to}), generated ${s.generatedAt}\n` +
        `  events   ${s.eventCount} in ${s.streams} streams${s.firstPosition ? `, global positions ${s.firstPosition} to ${s.lastPosition}` : ''}\n` +
        `  signed   Ed25519 by key ${s.keyId}\n` +
        `  chain    ${chain}\n`,
    };
  }
  const count = result.problems.length;
  return { stderr, stdout: `FAILED: ${dir} does not verify (${count} problem${count === 1 ? '' : 's'}):\n${result.problems.map((p) => `  - ${p}\n`).join('')}` };
};
