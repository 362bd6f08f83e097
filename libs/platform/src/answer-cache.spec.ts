import { AnswerCache, answerKey } from './answer-cache';

describe('AnswerCache', () => {
  const setup = (maxEntries?: number) => {
    const version = { now: 'v1', reads: 0 };
    const cache = new AnswerCache(async () => {
      version.reads++;
      return version.now;
    }, maxEntries);
    let computed = 0;
    const compute = (value: string, validUntil?: number) => async () => {
      computed++;
      return { value, validUntil };
    };
    return { version, cache, compute, computed: () => computed };
  };

  it('serves a kept answer while the read side has not moved, and computes again once it has', async () => {
    const { version, cache, compute, computed } = setup();
    expect(await cache.get('score\0t1', compute('first'))).toBe('first');
    expect(await cache.get('score\0t1', compute('second'))).toBe('first');
    expect(computed()).toBe(1);
    version.now = 'v2';
    expect(await cache.get('score\0t1', compute('third'))).toBe('third');
    expect(computed()).toBe(2);
    expect(cache.stats).toEqual({ hits: 1, misses: 2 });
  });

  it('reads the version on every ask: a caller sees a change made before it asked', async () => {
    const { version, cache, compute } = setup();
    await cache.get('k', compute('before'));
    version.now = 'v2';
    expect(await cache.get('k', compute('after'))).toBe('after');
    expect(version.reads).toBe(2);
  });

  it('keeps answers apart by key: one tenant never gets another tenant\'s answer', async () => {
    const { cache, compute } = setup();
    expect(await cache.get('score\0tenant-a', compute('a'))).toBe('a');
    expect(await cache.get('score\0tenant-b', compute('b'))).toBe('b');
    expect(await cache.get('score\0tenant-a', compute('x'))).toBe('a');
  });

  it('computes again once the clock passes the instant the answer said it holds until', async () => {
    const { cache, compute, computed } = setup();
    await cache.get('k', compute('ages', Date.now() + 60_000));
    expect(await cache.get('k', compute('later'))).toBe('ages');
    await cache.get('j', compute('aged', Date.now() - 1));
    expect(await cache.get('j', compute('fresh'))).toBe('fresh');
    expect(computed()).toBe(3);
  });

  it('does not keep a failed computation', async () => {
    const { cache, compute } = setup();
    await expect(
      cache.get('k', async () => {
        throw new Error('read model unavailable');
      }),
    ).rejects.toThrow('read model unavailable');
    expect(cache.size).toBe(0);
    expect(await cache.get('k', compute('recovered'))).toBe('recovered');
  });

  it('shares one computation between concurrent asks at one version', async () => {
    const { cache, computed } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const slow = async () => {
      runs++;
      await gate;
      return { value: 'once' };
    };
    const asks = [cache.get('k', slow), cache.get('k', slow), cache.get('k', slow)];
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await Promise.all(asks)).toEqual(['once', 'once', 'once']);
    expect(runs).toBe(1);
    expect(computed()).toBe(0);
  });

  it('holds at most its maximum, dropping the least recently used', async () => {
    const { cache, compute, computed } = setup(2);
    await cache.get('a', compute('a'));
    await cache.get('b', compute('b'));
    await cache.get('a', compute('a2')); // a is now the most recently used
    await cache.get('c', compute('c')); // drops b
    expect(cache.size).toBe(2);
    expect(await cache.get('a', compute('a3'))).toBe('a');
    expect(await cache.get('b', compute('b2'))).toBe('b2');
    expect(computed()).toBe(4);
  });

  it('keys an answer by its kind and every input, the caller\'s reach among them', () => {
    const where = 'tenant_id = ANY($2::text[])';
    expect(answerKey('queue', where, [51, ['contoso-bank']])).toMatch(/^queue\0[A-Za-z0-9_-]{43}$/);
    expect(answerKey('queue', where, [51, ['contoso-bank']])).toBe(answerKey('queue', where, [51, ['contoso-bank']]));
    expect(answerKey('queue', where, [51, ['contoso-bank']])).not.toBe(answerKey('queue', where, [51, ['contoso-bank', 'fabrikam-retail']]));
    expect(answerKey('queue', where, [51, ['contoso-bank']])).not.toBe(answerKey('tenants', where, [51, ['contoso-bank']]));
  });
});
