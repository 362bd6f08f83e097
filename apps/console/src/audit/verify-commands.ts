// The commands the audit page shows for verifying an export with standard tools: the key steps of
// the recipe in docs/audit-format.md, which a test runs against real exports. The spec beside this
// file keeps them word for word what the doc says, so the page cannot teach a command that fails.

/** Where the full recipe and the format's specification live (the console serves no docs). */
export const AUDIT_FORMAT_DOC = 'docs/audit-format.md';

/** Run in the export's folder, with the public key saved next to it. */
export const VERIFY_SIGNATURE_COMMAND = 'openssl pkeyutl -verify -pubin -inkey ../rampart-audit.pem -rawin -in manifest.json -sigfile manifest.json.sig';

export const VERIFY_FILES_COMMAND = `awk -F '"' '/^      "name": /{ name = $4 } /^      "sha256": /{ print $4 "  " name }' manifest.json | sha256sum -c -`;

/** The standalone verifier the console serves (built into its files by tools/scripts/console-build.js), and its SHA-256 in sha256sum's format. */
export const VERIFIER_PATH = '/downloads/rampart-audit-verify.js';
export const VERIFIER_DIGEST_PATH = `${VERIFIER_PATH}.sha256`;

/** Run next to the export folders, with the verifier, its digest file and the public key there too. */
export const STANDALONE_VERIFY_COMMANDS = 'sha256sum -c rampart-audit-verify.js.sha256\nnode rampart-audit-verify.js 2026-q2 --public-key rampart-audit.pem --previous 2026-q1/manifest.json';

/** Only inside a Rampart installation: `npx rampart` elsewhere would fetch an unrelated package. */
export const RAMPART_VERIFY_COMMAND = 'rampart audit verify <folder> --public-key rampart-audit.pem --previous <earlier export>/manifest.json';
