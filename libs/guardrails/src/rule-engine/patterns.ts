// The patterns of `like` (`*` wildcards) and `match` (`#` digit, `?` letter, `.` any character),
// matched in time linear in pattern and text, whatever the caller writes.
//
// like: the engine used to compile a pattern to `^a.*b.*c$` (flags `is`); a backtracking engine takes
// exponential time on a run of stars against text that does not match (18 stars: 3.9 s). This
// matcher splits the pattern on `*` and finds the pieces left to right (prefix, suffix, and each
// middle piece at its first occurrence after the previous one): for `*`-only globs the leftmost
// occurrence is never a worse choice, so one pass decides (String.prototype.indexOf in V8 is linear).
// Case: the same answers as that regex. A regex with `i` and without `u` compares UTF-16 code units
// after ECMAScript's Canonicalize: the unit's toUpperCase, unless that is not one unit or maps a
// non-ASCII unit into ASCII (so `ı` and `ſ` stay apart from `i` and `s`). Both sides are folded that
// way, unit by unit, and then compared exactly (patterns.spec.ts checks every code unit).
//
// match: one regex of single-character atoms (`^\d\p{L}.x$`, flags `su`/`isu`) never backtracks, but
// V8 builds each `\p{L}` as its own large class: 1,000 `?` took 0.3 s to compile, and 20,000 atoms
// overflow the regex parser. So each code point of the text is tested against its atom, with one
// small regex per kind of atom: the same engine and flags decide, one code point at a time.

/** Canonicalize for every UTF-16 code unit, built on first use of non-ASCII text. */
let canonical: Uint16Array | undefined;

const canonicalUnits = (): Uint16Array => {
  if (canonical) return canonical;
  const table = new Uint16Array(0x10000);
  for (let unit = 0; unit < 0x10000; unit++) {
    const upper = String.fromCharCode(unit).toUpperCase();
    const folded = upper.length === 1 ? upper.charCodeAt(0) : unit;
    table[unit] = unit >= 128 && folded < 128 ? unit : folded;
  }
  canonical = table;
  return table;
};

const CHUNK = 4096;

/** `text` with every code unit replaced by its Canonicalize: same length, compared exactly. */
export const foldCase = (text: string): string => {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) < 128) i++;
  // ASCII: toUpperCase changes a-z only, as Canonicalize does.
  if (i === text.length) return text.toUpperCase();
  const table = canonicalUnits();
  const units = new Uint16Array(text.length);
  for (let k = 0; k < text.length; k++) units[k] = table[text.charCodeAt(k)];
  let folded = '';
  for (let k = 0; k < units.length; k += CHUNK) folded += String.fromCharCode(...units.subarray(k, k + CHUNK));
  return folded;
};

/** Canonicalize of one code unit. */
const foldUnit = (unit: number): number => (unit < 128 ? (unit >= 97 && unit <= 122 ? unit - 32 : unit) : canonicalUnits()[unit]);

/** Whether `text` holds `folded` (already folded) at `at`, compared unit by unit: no copy of the text. */
const foldedAt = (text: string, folded: string, at: number): boolean => {
  for (let i = 0; i < folded.length; i++) if (foldUnit(text.charCodeAt(at + i)) !== folded.charCodeAt(i)) return false;
  return true;
};

/** A compiled `like` pattern: whether `text` matches it, ignoring case as described above. */
export const likeMatcher = (pattern: string): ((text: string) => boolean) => {
  const parts = foldCase(pattern).split('*');
  if (parts.length === 1) {
    const whole = parts[0];
    return (text) => text.length === whole.length && foldedAt(text, whole, 0);
  }
  const prefix = parts[0];
  const suffix = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((part) => part !== '');
  let least = prefix.length + suffix.length;
  for (const part of middle) least += part.length;
  if (least === 0) return () => true; // only stars: any text, the empty one included
  return (text) => {
    if (text.length < least) return false;
    const end = text.length - suffix.length;
    // Prefix and suffix in place (most texts fail there); the middle pieces in a folded copy of what lies between.
    if (!foldedAt(text, prefix, 0) || !foldedAt(text, suffix, end)) return false;
    if (middle.length === 0) return true;
    const between = foldCase(text.slice(prefix.length, end));
    let at = 0;
    for (const part of middle) {
      const found = between.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
    return true;
  };
};

// ---------------------------------------------------------------------------------------------

const LETTER_RE = /^\p{L}$/su;
const LETTER_IGNORING_CASE_RE = /^\p{L}$/isu;
const isAsciiLetter = (unit: number) => (unit | 32) >= 97 && (unit | 32) <= 122;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One literal code point compared as `isu` compares it (simple case folding): a small regex per character, remembered. */
const foldedLiterals = new Map<string, RegExp>();
const foldedLiteral = (ch: string): RegExp => {
  let re = foldedLiterals.get(ch);
  if (re === undefined) {
    re = new RegExp(`^${escape(ch)}$`, 'isu');
    if (foldedLiterals.size >= 4_096) foldedLiterals.clear();
    foldedLiterals.set(ch, re);
  }
  return re;
};

/** The code point of `text` at `at` (a lone surrogate is one), and how many units it takes. */
const codePointAt = (text: string, at: number): number => text.codePointAt(at) ?? 0;
const unitsOf = (codePoint: number) => (codePoint > 0xffff ? 2 : 1);

/**
 * A compiled `match` pattern, as `^atoms$` with flags `su` (`isu` ignoring case) answers: the text
 * has as many code points as the pattern, and each satisfies its atom. Pattern and text are walked
 * together, code point by code point, without building anything (patterns from expressions are
 * compiled on every evaluation). ASCII is decided without a regex (no ASCII character is a letter
 * or a case variant except A-Z and a-z); anything else by the regex of its atom alone.
 */
export const matchMatcher = (pattern: string, ignoringCase: boolean): ((text: string) => boolean) => {
  const letters = ignoringCase ? LETTER_IGNORING_CASE_RE : LETTER_RE;
  return (text) => {
    // Code points take one or two units: more than twice as many units on one side is more code points.
    if (text.length > 2 * pattern.length || pattern.length > 2 * text.length) return false;
    let p = 0;
    let t = 0;
    while (p < pattern.length && t < text.length) {
      const atom = codePointAt(pattern, p);
      const cp = codePointAt(text, t);
      const atomUnits = unitsOf(atom);
      const cpUnits = unitsOf(cp);
      const ascii = cp < 128;
      if (atom === 0x23 /* # */) {
        if (cp < 48 || cp > 57) return false;
      } else if (atom === 0x3f /* ? */) {
        if (ascii ? !isAsciiLetter(cp) : !letters.test(text.slice(t, t + cpUnits))) return false;
      } else if (atom !== 0x2e /* . */ && atom !== cp) {
        if (!ignoringCase) return false;
        if (ascii && atom < 128) {
          if (!isAsciiLetter(cp) || (cp | 32) !== (atom | 32)) return false;
        } else if (!foldedLiteral(pattern.slice(p, p + atomUnits)).test(text.slice(t, t + cpUnits))) return false;
      }
      p += atomUnits;
      t += cpUnits;
    }
    return p === pattern.length && t === text.length;
  };
};
