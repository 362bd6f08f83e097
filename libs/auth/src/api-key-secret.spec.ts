import { generateApiKey, parseApiKey, secretMatches } from './api-key-secret';

describe('API key secrets', () => {
  it('round-trips the wire format and matches only the right secret', () => {
    const key = generateApiKey();
    expect(key.token).toMatch(/^rmp_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key.token)).toEqual({ keyId: key.keyId, secret: key.secret });
    expect(secretMatches(key.secret, key.secretSha256)).toBe(true);
    expect(secretMatches(generateApiKey().secret, key.secretSha256)).toBe(false);
    expect(key.secretSha256).not.toContain(key.secret);
  });

  it('refuses malformed keys', () => {
    for (const bad of ['', 'rmp_short_x', `xyz_${'a'.repeat(12)}_${'b'.repeat(43)}`, 'Bearer abc']) expect(parseApiKey(bad)).toBeUndefined();
  });

  it('never repeats', () => {
    const ids = new Set(Array.from({ length: 200 }, () => generateApiKey().keyId));
    expect(ids.size).toBe(200);
  });
});
