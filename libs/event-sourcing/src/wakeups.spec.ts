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
});
