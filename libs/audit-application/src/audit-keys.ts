// The deployment's Ed25519 key that signs audit export manifests. In production it comes from
// RAMPART_AUDIT_SIGNING_KEY_FILE (PEM, PKCS#8), managed like any other secret; elsewhere a key is
// generated once in the data folder, so exports stay verifiable across restarts. Its public half is
// what auditors verify with: `rampart audit public-key` and the API publish it.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyIdOf, publicKeyPem as publicPemOf } from '@rampart/audit';
import type { RampartConfig } from '@rampart/runtime';

export interface AuditSigningKey {
  readonly privateKey: KeyObject;
  /** SPKI PEM of the public key. */
  readonly publicKeyPem: string;
  /** SHA-256 (hex) of the public key's SPKI DER, as manifests name it. */
  readonly keyId: string;
  /** Where it came from, for messages (never the key itself). */
  readonly source: string;
}

export type AuditKeyConfig = Pick<RampartConfig, 'dataDir' | 'production' | 'auditSigningKeyFile'>;

export class AuditSigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditSigningKeyError';
  }
}

/** Where the generated development key lives. */
export const generatedAuditKeyFile = (dataDir: string): string => join(dataDir, 'audit', 'signing-key.pem');

const parse = (pem: string, file: string): KeyObject => {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new AuditSigningKeyError(`${file} does not hold a PEM private key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AuditSigningKeyError(`${file} holds a ${key.asymmetricKeyType ?? 'unknown'} key; audit manifests are signed with Ed25519 (openssl genpkey -algorithm ed25519)`);
  }
  return key;
};

const readKeyFile = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

const createKeyFile = async (file: string): Promise<string> => {
  const pem = String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  // Written whole to a private temporary file, then linked into place: link never replaces an
  // existing file, so two processes starting at once both end up with the first one's key.
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readKeyFile(file)) ?? pem;
  } finally {
    await unlink(temporary);
  }
};

const signingKey = (privateKey: KeyObject, source: string): AuditSigningKey => ({
  privateKey,
  publicKeyPem: publicPemOf(privateKey),
  keyId: keyIdOf(privateKey),
  source,
});

/**
 * The signing key: the configured file, else the data folder's key. `create: false` (for commands
 * that only verify or print) never generates one.
 */
export const loadAuditSigningKey = async (config: AuditKeyConfig, options: { create?: boolean } = {}): Promise<AuditSigningKey> => {
  if (config.auditSigningKeyFile) {
    const file = config.auditSigningKeyFile;
    const pem = await readKeyFile(file);
    if (pem === undefined) throw new AuditSigningKeyError(`RAMPART_AUDIT_SIGNING_KEY_FILE names ${file}, which does not exist`);
    return signingKey(parse(pem, file), file);
  }
  if (config.production) {
    // A key nobody manages cannot be vouched for to an auditor, and a lost volume would lose it.
    throw new AuditSigningKeyError('set RAMPART_AUDIT_SIGNING_KEY_FILE to an Ed25519 private key (PEM, PKCS#8) in production: openssl genpkey -algorithm ed25519 -out audit-signing-key.pem');
  }
  const file = generatedAuditKeyFile(config.dataDir);
  const existing = await readKeyFile(file);
  if (existing !== undefined) return signingKey(parse(existing, file), file);
  if (options.create === false) throw new AuditSigningKeyError(`no audit signing key yet: ${file} does not exist (it is created by the first export)`);
  await mkdir(join(config.dataDir, 'audit'), { recursive: true, mode: 0o700 });
  return signingKey(parse(await createKeyFile(file), file), file);
};
