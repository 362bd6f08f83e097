// `like` without a regular expression and `match` one code point at a time: the same answers as the
// regexes they replace (`^a.*b$` with flags `is`; `^\d\p{L}.x$` with `su`/`isu`), on every UTF-16
// code unit and on many generated and adversarial patterns, in linear time.
import { foldCase, likeMatcher, matchMatcher } from './patterns';
import { compareWith, OPERATORS } from './operators';

/** The implementation before like.ts, kept as the oracle. */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const regexLike = (pattern: string, text: string) => new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'is').test(text);

/** Deterministic, so a failure can be replayed (mulberry32). */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

// Letters whose case mapping is special (Turkish i, long s, sharp s, Kelvin sign, final sigma), regex
// syntax, line terminators `.` must cross, lone and paired surrogates, NUL.
const UNITS = [...'aAbBzZ09.?[]\\()$^|+{}-/ ıIiİſsSßẞKk\u212aσΣςéÉ\n\r\u2028\u0000\ud83d\ude00😀ǅǄǆΩω\u2126ﬀ'];

const pick = <T>(next: () => number, items: readonly T[]) => items[Math.floor(next() * items.length)];
const word = (next: () => number, max: number) => Array.from({ length: Math.floor(next() * (max + 1)) }, () => pick(next, UNITS)).join('');
/** One way or another the same letter: upper, lower or as it is. */
const recase = (next: () => number, text: string) =>
  [...text].map((ch) => pick(next, [ch, ch.toUpperCase().length === 1 ? ch.toUpperCase() : ch, ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch])).join('');

const disagreement = (pattern: string, text: string) =>
  likeMatcher(pattern)(text) === regexLike(pattern, text) ? undefined : `${JSON.stringify(pattern)} against ${JSON.stringify(text)}`;

describe('like matched without a regex', () => {
  it('given every UTF-16 code unit as a pattern, when matched against itself and its upper and lower case, then it answers as the regex does', () => {
    const problems: string[] = [];
    for (let unit = 0; unit < 0x10000; unit++) {
      const ch = String.fromCharCode(unit);
      const re = new RegExp(`^${escape(ch)}$`, 'is');
      const matcher = likeMatcher(ch);
      const variants = new Set([ch, ch.toUpperCase(), ch.toLowerCase(), foldCase(ch)].filter((v) => v.length === 1));
      for (const text of variants) if (matcher(text) !== re.test(text)) problems.push(`U+${unit.toString(16)} against U+${text.charCodeAt(0).toString(16)}`);
    }
    expect(problems).toEqual([]);
  });

  it('given generated patterns and texts (stars, regex syntax, case variants, unicode, empty), when matched, then every answer is the regex\'s', () => {
    const next = random(20_261_130);
    const problems: string[] = [];
    let matched = 0;
    for (let i = 0; i < 6_000; i++) {
      // At most six stars: the regex oracle takes exponential time in them.
      const pieces = Array.from({ length: 1 + Math.floor(next() * 4) }, () => word(next, 4));
      const pattern = pieces.join(pick(next, ['*', '*', '**']));
      // Half the texts are built to fit the pattern (stars filled, letters recased), half are random.
      const text = next() < 0.5 ? recase(next, pieces.map((p, k) => (k === 0 ? p : `${word(next, 3)}${p}`)).join('')) : word(next, 12);
      const problem = disagreement(pattern, text);
      if (problem) problems.push(problem);
      if (likeMatcher(pattern)(text)) matched++;
    }
    expect(problems).toEqual([]);
    expect(matched).toBeGreaterThan(1_500); // the generator reaches both answers
  });

  it.each([
    ['the empty pattern', '', ['', 'a', '*']],
    ['only stars', '*****', ['', 'a', '\n', '😀']],
    ['a star', '*', ['', 'anything at all']],
    ['an escaped-looking bracket', '[[*', ['[[', '[', '[[x', '[x']],
    ['regex syntax', '^$.*(a|b)+?{2}\\', ['^$.x(a|b)+?{2}\\', '^$.(a|b)+?{2}\\', '^$.a']],
    ['pieces that overlap', 'aba*aba', ['aba', 'ababa', 'abaaba', 'abaXaba']],
    ['a repeated piece', 'a*a*a', ['aa', 'aaa', 'aaaa', 'aXaYa']],
    ['letters ignoring case', 'İ*ı*ſ*K*ß', ['i̇ISkSS', 'İıſKß', 'iiskß', 'İIſ\u212aẞ']],
    ['a final sigma', '*σ', ['Σ', 'ς', 'σ']],
    ['surrogates', '\ud83d*', ['😀', '\ud83d', '\ude00']],
    ['a line break inside', 'a*b', ['a\nb', 'a\r\n\u2028b']],
  ])('given %s, when matched against tricky texts, then it answers as the regex does', (_what, pattern, texts) => {
    expect(texts.map((text) => disagreement(pattern, text)).filter(Boolean)).toEqual([]);
  });

  it('given runs of stars against texts they almost match, when matched, then it answers as the regex does', () => {
    const problems: string[] = [];
    // (Short: the regex takes exponential time in the number of stars.)
    for (let stars = 1; stars <= 8; stars++)
      for (const text of ['', 'a', 'aaaaaaaaaaaa', 'aaaaaaaaaaab', 'abababababab']) {
        for (const pattern of ['a'.repeat(stars).split('').join('*'), `${'*'.repeat(stars)}b`, `a${'*a'.repeat(stars)}c`, `${'*'.repeat(stars)}`])
          problems.push(disagreement(pattern, text) ?? '');
      }
    expect(problems.filter(Boolean)).toEqual([]);
  });
});

describe('like in linear time', () => {
  const stars = '*'.repeat(10_000);
  const text = 'a'.repeat(10_000);
  const timed = (run: () => boolean) => {
    const start = performance.now();
    const result = run();
    return { result, ms: performance.now() - start };
  };

  it.each([
    ['10,000 stars then a letter the text lacks', `${stars}b`],
    ['10,000 stars between letters, then one the text lacks', `${'a*'.repeat(10_000)}b`],
    ['10,000 stars around a piece the text lacks', `${stars}ab${stars}`],
  ])('given %s, when matched against 10,000 characters, then it answers no in milliseconds, not seconds', (_what, pattern) => {
    const like = OPERATORS.get('like')!.test;
    like('ab', 'a*'); // the code's first run is not what is measured
    const general = timed(() => like(text, pattern));
    const compiled = timed(() => compareWith('like', pattern)(text));
    const negated = timed(() => compareWith('notLike', pattern)(text));
    expect([general.result, compiled.result, negated.result]).toEqual([false, false, true]);
    expect(Math.max(general.ms, compiled.ms, negated.ms)).toBeLessThan(1_000); // the backtracking regex never finished
  });
});

/** The `match` implementation before patterns.ts, kept as the oracle. */
const regexMatch = (pattern: string, text: string, ignoringCase: boolean) => {
  const body = [...pattern].map((ch) => (ch === '#' ? '\\d' : ch === '?' ? '\\p{L}' : ch === '.' ? '.' : escape(ch))).join('');
  return new RegExp(`^${body}$`, ignoringCase ? 'isu' : 'su').test(text);
};

describe('match one code point at a time', () => {
  const MATCH_UNITS = [...UNITS, '#', '?', '.', '#', '?', '.', '5', '٣', 'ǅ', 'ͅ', 'Ⓐ', 'ⓐ', 'Ⅻ', 'ⅻ'];
  const wordOf = (next: () => number, max: number) => Array.from({ length: Math.floor(next() * (max + 1)) }, () => pick(next, MATCH_UNITS)).join('');
  /** A text made for the pattern: a digit for #, a letter for ?, anything for ., the literal recased. */
  const fitting = (next: () => number, pattern: string) =>
    [...pattern].map((ch) => (ch === '#' ? pick(next, ['0', '7', '٣', 'a']) : ch === '?' ? pick(next, ['a', 'Ж', 'ǅ', 'ͅ', '1', '😀']) : ch === '.' ? pick(next, UNITS) : recase(next, ch))).join('');

  it.each([false, true])('given generated patterns and texts, when matched (ignoring case: %s), then every answer is the regex\'s', (ignoringCase) => {
    const next = random(ignoringCase ? 7 : 11);
    const problems: string[] = [];
    let matched = 0;
    for (let i = 0; i < 3_000; i++) {
      const pattern = wordOf(next, 8);
      const text = next() < 0.6 ? fitting(next, pattern) : wordOf(next, 8);
      const ours = matchMatcher(pattern, ignoringCase)(text);
      if (ours !== regexMatch(pattern, text, ignoringCase)) problems.push(`${JSON.stringify(pattern)} against ${JSON.stringify(text)}`);
      if (ours) matched++;
    }
    expect(problems).toEqual([]);
    expect(matched).toBeGreaterThan(300);
  });

  it.each([
    ['every kind of atom', '?#.x', ['a1-x', 'A1-X', 'ж٣😀x', '11-x', 'a1x', 'a1--x']],
    ['letters whose case folding is special', 'ſKı', ['ſKı', 'sKı', 'SkI', 'S\u212aı']],
    ['a surrogate pair against one atom', '.', ['😀', '\ud83d', 'ab', '']],
    ['the empty pattern', '', ['', 'a']],
  ])('given %s, when matched both ways, then it answers as the regex does', (_what, pattern, texts) => {
    for (const ignoringCase of [false, true])
      expect(texts.filter((text) => matchMatcher(pattern, ignoringCase)(text) !== regexMatch(pattern, text, ignoringCase))).toEqual([]);
  });

  it('given 20,000 letter atoms, when matched against 20,000 letters and against a near miss, then it answers in milliseconds, not seconds', () => {
    const pattern = '?'.repeat(20_000);
    compareWith('match', '??')('ab'); // the code's first run is not what is measured
    const start = performance.now();
    const results = [compareWith('match', pattern)('a'.repeat(20_000)), compareWith('matchInsensitively', pattern)(`${'a'.repeat(19_999)}1`)];
    expect(results).toEqual([true, false]);
    expect(performance.now() - start).toBeLessThan(1_000); // compiling the old regex alone took seconds
  });
});
