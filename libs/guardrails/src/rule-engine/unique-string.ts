// ARM's uniqueString(): the arguments joined with '-', hashed with the MurmurHash64 variant of
// Microsoft.WindowsAzure.ResourceStack (two MurmurHash3 x86 lanes over 8-byte blocks, crossed and
// finalised with fmix32), the 64-bit result written as 13 base32 characters, five bits at a time from
// the top. Checked against outputs of real deployments (unique-string.spec.ts).

const C1 = 0x239b961b;
const C2 = 0xab0e9789;

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const mul = (a: number, b: number): number => Math.imul(a, b) >>> 0;

/** Little-endian, `count` (1-4) bytes from `at`. */
const word = (bytes: Uint8Array, at: number, count: number): number => {
  let value = 0;
  for (let i = 0; i < count; i++) value |= bytes[at + i] << (8 * i);
  return value >>> 0;
};

const fmix32 = (h: number): number => {
  h = mul(h ^ (h >>> 16), 0x85ebca6b);
  h = mul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** The two 32-bit halves of the hash: `high` is the top of the 64-bit value. */
export const murmurHash64 = (bytes: Uint8Array, seed = 0): { readonly high: number; readonly low: number } => {
  const length = bytes.length;
  let h1 = seed >>> 0;
  let h2 = seed >>> 0;
  let at = 0;
  for (; at + 7 < length; at += 8) {
    const k1 = mul(rotl(mul(word(bytes, at, 4), C1), 15), C2);
    h1 = (mul((rotl((h1 ^ k1) >>> 0, 19) + h2) >>> 0, 5) + 0x561ccd1b) >>> 0;
    const k2 = mul(rotl(mul(word(bytes, at + 4, 4), C2), 17), C1);
    h2 = (mul((rotl((h2 ^ k2) >>> 0, 13) + h1) >>> 0, 5) + 0x0bcaa747) >>> 0;
  }
  const tail = length - at;
  if (tail > 0) {
    h1 = (h1 ^ mul(rotl(mul(word(bytes, at, Math.min(tail, 4)), C1), 15), C2)) >>> 0;
    if (tail > 4) h2 = (h2 ^ mul(rotl(mul(word(bytes, at + 4, tail - 4), C2), 17), C1)) >>> 0;
  }
  h1 = (h1 ^ length) >>> 0;
  h2 = (h2 ^ length) >>> 0;
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  return { high: h2, low: h1 };
};

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 13 characters of 5 bits each, from the top of the 64-bit value (the last one holds its 4 low bits, shifted). */
const base32 = ({ high, low }: { readonly high: number; readonly low: number }): string => {
  let value = (BigInt(high) << 32n) | BigInt(low);
  let text = '';
  for (let i = 0; i < 13; i++) {
    text += BASE32[Number(value >> 59n)];
    value = (value << 5n) & 0xffff_ffff_ffff_ffffn;
  }
  return text;
};

const utf8 = new TextEncoder();

export const uniqueString = (values: readonly string[]): string => base32(murmurHash64(utf8.encode(values.join('-'))));
