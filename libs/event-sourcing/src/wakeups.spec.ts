import { Wakeups } from './wakeups';

describe('Wakeups', () => {
  it('wakes every sleeper at once', async () => {
    const wakeups = new Wakeups();
    const started = Date.now();
    const sleeping = Promise.all([wakeups.wait(10_000), wakeups.wait(10_000)]);
    expect(wakeups.sleeping).toBe(2);
    wakeups.wakeAll();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(wakeups.sleeping).toBe(0);
  });

  it('returns after the timeout or on abort', async () => {
    const wakeups = new Wakeups();
    const started = Date.now();
    await wakeups.wait(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const controller = new AbortController();
    const aborted = wakeups.wait(10_000, controller.signal);
    controller.abort();
    await aborted;
    expect(wakeups.sleeping).toBe(0);
  });

  it('does not sleep through a wake-up that came between the count taken before a read and the wait', async () => {
    const wakeups = new Wakeups();
    const since = wakeups.count;
    wakeups.wakeAll(); // an append notified while the reader was reading
    const started = Date.now();
    await wakeups.wait(10_000, undefined, since);
    expect(Date.now() - started).toBeLessThan(1_000);
    // With nothing in between, it sleeps until woken.
    const now = wakeups.count;
    const sleeping = wakeups.wait(10_000, undefined, now);
    expect(wakeups.sleeping).toBe(1);
    wakeups.wakeAll();
    await sleeping;
    expect(wakeups.count).toBe(now + 1);
  });
});
