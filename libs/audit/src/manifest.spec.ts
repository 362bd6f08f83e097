import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import {
  canonicalJson,
  keyIdOf,
  manifestDigest,
  MANIFEST_FORMAT,
  MANIFEST_FORMAT_V1,
  publicKeyPem,
  serializeManifest,
  signatureFileOf,
  signedBytes,
  signManifest,
  verifyManifestSignature,
  type AuditManifest,
  type UnsignedManifest,
} from './manifest';

const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

const unsigned: UnsignedManifest = {
  format: MANIFEST_FORMAT,
  exportId: 'e1',
  tenantId: 'contoso-bank',
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-02-01T00:00:00.000Z',
  generatedAt: '2026-02-01T00:05:00.000Z',
  files: [{ name: 'events.ndjson', bytes: 10, sha256: 'a'.repeat(64) }],
  eventCount: 1,
  firstPosition: '5/1',
  lastPosition: '5/1',
  previousManifestSha256: null,
};
const unsignedV1: UnsignedManifest = { ...unsigned, format: MANIFEST_FORMAT_V1 };

/** A format 2 manifest as read back from manifest.json and manifest.json.sig. */
const readBack = (signed: AuditManifest): AuditManifest => {
  const parsed = JSON.parse(serializeManifest(signed)) as AuditManifest;
  return { ...parsed, signature: { ...parsed.signature, value: signatureFileOf(signed).toString('base64') } };
};

describe('audit manifest', () => {
  it('signs manifest.json as written, key id included, and keeps the signature out of it (format 2)', () => {
    const signed = signManifest(unsigned, keys.privateKey);
    const text = serializeManifest(signed);
    expect(JSON.parse(text).signature).toEqual({ algorithm: 'Ed25519', keyId: keyIdOf(keys.publicKey) });
    expect(signedBytes(signed).toString('utf8')).toBe(text);
    // what `openssl pkeyutl -verify -rawin -in manifest.json -sigfile manifest.json.sig` checks
    expect(signatureFileOf(signed)).toHaveLength(64);
    expect(verify(null, Buffer.from(text), keys.publicKey, signatureFileOf(signed))).toBe(true);
    const reordered = Object.fromEntries(Object.entries(unsigned).reverse()) as unknown as UnsignedManifest;
    expect(signManifest(reordered, keys.privateKey).signature.value).toBe(signed.signature.value);
  });

  it('signs the canonical form in format 1: sorted keys, no whitespace, independent of key order', () => {
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: true })).toBe('{"a":true,"b":[1,{"c":"x","d":null}]}');
    const signed = signManifest(unsignedV1, keys.privateKey);
    expect(signedBytes(signed).toString('utf8')).toBe(canonicalJson(unsignedV1));
    expect(JSON.parse(serializeManifest(signed)).signature).toEqual(signed.signature);
    expect(() => signatureFileOf(signed)).toThrow(/no signature file/);
    const reordered = Object.fromEntries(Object.entries(unsignedV1).reverse()) as unknown as UnsignedManifest;
    expect(signManifest(reordered, keys.privateKey).signature.value).toBe(signed.signature.value);
  });

  it('names the key by the SHA-256 of its SPKI DER, from either half or PEM', () => {
    const expected = createHash('sha256').update(keys.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    expect(keyIdOf(keys.publicKey)).toBe(expected);
    expect(keyIdOf(keys.privateKey)).toBe(expected);
    expect(keyIdOf(publicKeyPem(keys.privateKey))).toBe(expected);
    expect(signManifest(unsigned, keys.privateKey).signature).toMatchObject({ algorithm: 'Ed25519', keyId: expected });
  });

  it.each([
    ['2', unsigned],
    ['1', unsignedV1],
  ])('verifies with the right key only, and not after any field changed (format %s)', (_format, manifest) => {
    const signed = signManifest(manifest, keys.privateKey);
    expect(verifyManifestSignature(signed, publicKeyPem(keys.publicKey))).toEqual({ ok: true });
    expect(verifyManifestSignature(manifest.format === MANIFEST_FORMAT_V1 ? JSON.parse(serializeManifest(signed)) : readBack(signed), keys.publicKey)).toEqual({ ok: true });

    const wrongKey = verifyManifestSignature(signed, other.publicKey);
    expect(wrongKey.ok).toBe(false);
    expect(!wrongKey.ok && wrongKey.problem).toContain(`signed by key ${keyIdOf(keys.publicKey)}, not by the public key given (${keyIdOf(other.publicKey)})`);

    const edited = { ...signed, eventCount: 2 };
    expect(verifyManifestSignature(edited, keys.publicKey)).toEqual({ ok: false, problem: expect.stringContaining('does not match the manifest\'s content') });

    // another key's signature passed off under this key's id
    const forged = { ...signed, signature: { ...signManifest(manifest, other.privateKey).signature, keyId: signed.signature.keyId } };
    expect(verifyManifestSignature(forged, keys.publicKey).ok).toBe(false);
  });

  it('checks format 2 against the bytes as written, when given', () => {
    const signed = signManifest(unsigned, keys.privateKey);
    const text = serializeManifest(signed);
    expect(verifyManifestSignature(signed, keys.publicKey, text)).toEqual({ ok: true });
    expect(verifyManifestSignature(signed, keys.publicKey, text.replace('\n', '\r\n')).ok).toBe(false);
    expect(verifyManifestSignature({ ...signed, signature: { ...signed.signature, value: 'AAAA' } }, keys.publicKey)).toEqual({
      ok: false,
      problem: 'manifest.json.sig holds 3 bytes, not an Ed25519 signature (64 bytes)',
    });
  });

  it('refuses keys that are not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => signManifest(unsigned, rsa.privateKey)).toThrow(/rsa key, not Ed25519/);
  });

  it('chains on the bytes of the manifest file as written', () => {
    const text = serializeManifest(signManifest(unsigned, keys.privateKey));
    expect(text.endsWith('}\n')).toBe(true);
    expect(manifestDigest(text)).toBe(createHash('sha256').update(Buffer.from(text)).digest('hex'));
    expect(manifestDigest(Buffer.from(text))).toBe(manifestDigest(text));
    // one manifest, one byte form: whatever order its keys were built in
    const signed = signManifest(unsigned, keys.privateKey);
    const shuffled = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(signed).reverse())));
    expect(serializeManifest(shuffled)).toBe(text);
    expect(manifestDigest(shuffled)).toBe(manifestDigest(text));
  });
});
