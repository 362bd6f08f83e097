// The manifest of an audit export: which files, their sizes and SHA-256 digests, which events
// (count, first/last global position, period), and the digest of the tenant's previous manifest, so
// exports form a chain like CloudTrail digest files. Signed with Ed25519, so an auditor needs only
// the export and the public key to check it. docs/audit-format.md is the specification.
//
// Format 2 signs manifest.json's bytes as written and keeps the signature beside it in
// manifest.json.sig: `openssl pkeyutl -verify -rawin` checks it with nothing else installed. Format 1
// (the signature inside, over a canonical JSON the auditor had to rebuild) is still verified, for the
// exports made before.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** The format exports are written in. */
export const MANIFEST_FORMAT = 'rampart-audit-export/2';
/** Signature inside manifest.json, over canonicalJson(manifest without signature): verified, no longer written. */
export const MANIFEST_FORMAT_V1 = 'rampart-audit-export/1';
export const MANIFEST_FORMATS = [MANIFEST_FORMAT_V1, MANIFEST_FORMAT] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];
export const MANIFEST_FILE = 'manifest.json';
/** Format 2: the raw 64-byte Ed25519 signature of manifest.json's bytes. */
export const SIGNATURE_FILE = 'manifest.json.sig';

/** The files every export holds, in the order they are written and listed. */
export const EXPORT_FILES = ['events.ndjson', 'events.csv', 'oscal-assessment-results.json', 'ocsf.ndjson'] as const;
export type ExportFileName = (typeof EXPORT_FILES)[number];

export interface ManifestFile {
  readonly name: string;
  readonly bytes: number;
  /** Lowercase hex. */
  readonly sha256: string;
}

export interface ManifestSignature {
  readonly algorithm: 'Ed25519';
  /** SHA-256 (hex) of the signing key's public key in SPKI DER: says which key to verify with. */
  readonly keyId: string;
  /**
   * Base64 Ed25519 signature of `signedBytes(manifest)`. Format 1 writes it here; format 2 writes it
   * to manifest.json.sig, so a format 2 manifest read from its file has none until that is read.
   */
  readonly value?: string;
}

export interface AuditManifest {
  readonly format: ManifestFormat;
  readonly exportId: string;
  readonly tenantId: string;
  /** Inclusive, ISO 8601. */
  readonly from: string;
  /** Exclusive, ISO 8601. */
  readonly to: string;
  readonly generatedAt: string;
  readonly files: readonly ManifestFile[];
  readonly eventCount: number;
  /** `"<commit>/<prepare>"` of the first and last exported event; null when the period holds none. */
  readonly firstPosition: string | null;
  readonly lastPosition: string | null;
  /** `manifestDigest` of the tenant's previous export, null for its first one. */
  readonly previousManifestSha256: string | null;
  readonly signature: ManifestSignature;
}

export type UnsignedManifest = Omit<AuditManifest, 'signature'>;

/**
 * Sorted keys, no whitespace: the bytes that are signed must not depend on how the manifest was
 * pretty-printed or in which order a JSON library wrote its keys.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
};

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export type PrivateKeyInput = KeyObject | string;
export type PublicKeyInput = KeyObject | string;

const ed25519 = (key: KeyObject, what: string): KeyObject => {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what} is a ${key.asymmetricKeyType ?? key.type} key, not Ed25519`);
  return key;
};

export const toPrivateKey = (key: PrivateKeyInput): KeyObject =>
  ed25519(typeof key === 'string' ? createPrivateKey(key) : key, 'the signing key');

/** A public key from PEM (SPKI) or a KeyObject; a private key yields its public half. */
export const toPublicKey = (key: PublicKeyInput): KeyObject =>
  ed25519(typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key, 'the public key');

/** The key's fingerprint: SHA-256 of its SPKI DER, hex. */
export const keyIdOf = (key: PublicKeyInput): string => sha256Hex(toPublicKey(key).export({ type: 'spki', format: 'der' }));

export const publicKeyPem = (key: PublicKeyInput): string => String(toPublicKey(key).export({ type: 'spki', format: 'pem' }));

/**
 * What the signature covers. Format 2: manifest.json as serializeManifest writes it, signature.keyId
 * included (the signer names its key under its own signature). Format 1: the canonical JSON of the
 * manifest without its signature.
 */
export const signedBytes = (manifest: AuditManifest): Buffer => {
  if (manifest.format === MANIFEST_FORMAT_V1) {
    const { signature: _signature, ...unsigned } = manifest;
    return Buffer.from(canonicalJson(unsigned), 'utf8');
  }
  return Buffer.from(serializeManifest(manifest), 'utf8');
};

/** Signs in the manifest's own format (format 1 only for tests of exports made before format 2). */
export const signManifest = (manifest: UnsignedManifest, privateKey: PrivateKeyInput): AuditManifest => {
  const key = toPrivateKey(privateKey);
  const { signature: _ignored, ...unsigned } = manifest as AuditManifest;
  const named: AuditManifest = { ...unsigned, signature: { algorithm: 'Ed25519', keyId: keyIdOf(key) } };
  const value = sign(null, signedBytes(named), key).toString('base64');
  return { ...named, signature: { ...named.signature, value } };
};

/** Format 2's manifest.json.sig: the signature's raw bytes, as `openssl pkeyutl -sigfile` reads them. */
export const signatureFileOf = (manifest: AuditManifest): Buffer => {
  if (manifest.format === MANIFEST_FORMAT_V1) throw new Error('a format 1 manifest carries its signature inside: it has no signature file');
  if (manifest.signature.value === undefined) throw new Error('the manifest is not signed');
  return Buffer.from(manifest.signature.value, 'base64');
};

/**
 * The manifest file as written: indented for people, keys in a fixed order, a final newline. One
 * manifest has one byte form, so its digest (the next export's chain) is defined by its content.
 * That layout is part of the format: docs/audit-format.md reads the file list with awk by it.
 */
export const serializeManifest = (m: AuditManifest): string => {
  const ordered: AuditManifest = {
    format: m.format,
    exportId: m.exportId,
    tenantId: m.tenantId,
    from: m.from,
    to: m.to,
    generatedAt: m.generatedAt,
    files: m.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
    eventCount: m.eventCount,
    firstPosition: m.firstPosition,
    lastPosition: m.lastPosition,
    previousManifestSha256: m.previousManifestSha256,
    signature:
      m.format === MANIFEST_FORMAT_V1
        ? { algorithm: m.signature.algorithm, keyId: m.signature.keyId, value: m.signature.value }
        : { algorithm: m.signature.algorithm, keyId: m.signature.keyId },
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
};

/** What the next export of the tenant chains to: SHA-256 of the manifest file's exact bytes. */
export const manifestDigest = (manifest: AuditManifest | string | Uint8Array): string =>
  sha256Hex(typeof manifest === 'string' || manifest instanceof Uint8Array ? manifest : serializeManifest(manifest));

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/**
 * Whether `manifest.signature` is the given key's signature of the manifest: for format 2 of `asWritten`
 * (manifest.json's bytes as read) when given, else of the bytes serializeManifest would write.
 */
export const verifyManifestSignature = (manifest: AuditManifest, publicKey: PublicKeyInput, asWritten?: string | Uint8Array): SignatureCheck => {
  const key = toPublicKey(publicKey);
  const expectedKeyId = keyIdOf(key);
  const { signature } = manifest;
  const v1 = manifest.format === MANIFEST_FORMAT_V1;
  if (signature.algorithm !== 'Ed25519') return { ok: false, problem: `signature algorithm is "${String(signature.algorithm)}"; only Ed25519 is accepted` };
  if (signature.keyId !== expectedKeyId) {
    return {
      ok: false,
      problem: `manifest.json is signed by key ${signature.keyId}, not by the public key given (${expectedKeyId}): it was not signed by this deployment, or the wrong public key was given`,
    };
  }
  const value = Buffer.from(signature.value ?? '', 'base64');
  if (value.length !== 64 || value.toString('base64') !== signature.value) {
    return {
      ok: false,
      problem: v1 ? 'manifest.json: the signature value is not a base64 Ed25519 signature (64 bytes)' : `${SIGNATURE_FILE} holds ${value.length} bytes, not an Ed25519 signature (64 bytes)`,
    };
  }
  const bytes = v1 || asWritten === undefined ? signedBytes(manifest) : Buffer.from(asWritten);
  if (!verify(null, bytes, key, value)) {
    return {
      ok: false,
      problem: 'manifest.json: the signature does not match the manifest\'s content: a field was changed after signing, or it was signed by another key under this key id',
    };
  }
  return { ok: true };
};
