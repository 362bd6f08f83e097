// The one abortable wait the loops share (subscriptions, projection runners, partitioned reactions,
// the live reader): it ends early on abort and leaves no listener on a signal that lives on.
import { pause } from './subscription';

describe('pause', () => {
  it('waits its time when nothing aborts, and leaves no listener on the signal', async () => {
    const controller = new AbortController();
    const added = jest.spyOn(controller.signal, 'addEventListener');
    const removed = jest.spyOn(controller.signal, 'removeEventListener');
    const started = Date.now();
    await pause(30, controller.signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(removed).toHaveBeenCalledTimes(added.mock.calls.length);
  });

  it('ends at once on an abort, and does not wait at all on a signal already aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = pause(60_000, controller.signal);
    controller.abort();
    await waiting;
    await pause(60_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
