// API key wire format: `rmp_<keyId>_<secret>`. The prefix makes leaked keys recognisable by
// secret scanners; the key id finds the record; only SHA-256(secret) is ever stored. The secret
// has 256 bits of entropy, so a fast hash is sound (no password stretching needed).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'rmp';

export interface GeneratedApiKey {
  readonly keyId: string;
  readonly secret: string;
  /** The whole key as the client sends it; shown once. */
  readonly token: string;
  readonly secretSha256: string;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const generateApiKey = (): GeneratedApiKey => {
  const keyId = base64url(randomBytes(9)).replace(/[-_]/g, 'x').toLowerCase();
  const secret = base64url(randomBytes(32));
  return { keyId, secret, token: `${API_KEY_PREFIX}_${keyId}_${secret}`, secretSha256: sha256Hex(secret) };
};

export const parseApiKey = (token: string): { keyId: string; secret: string } | undefined => {
  const match = /^rmp_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(token.trim());
  return match ? { keyId: match[1], secret: match[2] } : undefined;
};

export const secretMatches = (secret: string, expectedSha256: string): boolean => {
  const actual = Buffer.from(sha256Hex(secret), 'hex');
  const expected = Buffer.from(expectedSha256, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};
