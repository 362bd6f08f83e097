import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  canonicalJson,
  keyIdOf,
  manifestDigest,
  MANIFEST_FORMAT,
  publicKeyPem,
  serializeManifest,
  signManifest,
  verifyManifestSignature,
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

describe('audit manifest', () => {
  it('signs the canonical form: sorted keys, no whitespace, independent of key order', () => {
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: true })).toBe('{"a":true,"b":[1,{"c":"x","d":null}]}');
    const reordered = Object.fromEntries(Object.entries(unsigned).reverse()) as unknown as UnsignedManifest;
    expect(signManifest(reordered, keys.privateKey).signature.value).toBe(signManifest(unsigned, keys.privateKey).signature.value);
  });

  it('names the key by the SHA-256 of its SPKI DER, from either half or PEM', () => {
    const expected = createHash('sha256').update(keys.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    expect(keyIdOf(keys.publicKey)).toBe(expected);
    expect(keyIdOf(keys.privateKey)).toBe(expected);
    expect(keyIdOf(publicKeyPem(keys.privateKey))).toBe(expected);
    expect(signManifest(unsigned, keys.privateKey).signature).toMatchObject({ algorithm: 'Ed25519', keyId: expected });
  });

  it('verifies with the right key only, and not after any field changed', () => {
    const signed = signManifest(unsigned, keys.privateKey);
    expect(verifyManifestSignature(signed, publicKeyPem(keys.publicKey))).toEqual({ ok: true });
    expect(verifyManifestSignature(JSON.parse(serializeManifest(signed)), keys.publicKey)).toEqual({ ok: true });

    const wrongKey = verifyManifestSignature(signed, other.publicKey);
    expect(wrongKey.ok).toBe(false);
    expect(!wrongKey.ok && wrongKey.problem).toContain(`signed by key ${keyIdOf(keys.publicKey)}, not by the public key given (${keyIdOf(other.publicKey)})`);

    const edited = { ...signed, eventCount: 2 };
    expect(verifyManifestSignature(edited, keys.publicKey)).toEqual({ ok: false, problem: expect.stringContaining('does not match the manifest\'s content') });

    // another key's signature passed off under this key's id
    const forged = { ...signed, signature: { ...signManifest(unsigned, other.privateKey).signature, keyId: signed.signature.keyId } };
    expect(verifyManifestSignature(forged, keys.publicKey).ok).toBe(false);
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
