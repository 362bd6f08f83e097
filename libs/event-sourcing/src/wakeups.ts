// What stores use to implement `waitForAppend`: sleepers wait up to a timeout (or an abort),
// and an append (or a notification from elsewhere) wakes them all.
export class Wakeups {
  private readonly sleepers = new Set<() => void>();
  private wakes = 0;

  /** How many wake-ups there have been: taken before a read, handed to `wait`, so one in between is not slept through. */
  get count(): number {
    return this.wakes;
  }

  wait(timeoutMs: number, signal?: AbortSignal, since?: number): Promise<void> {
    if (signal?.aborted || (since !== undefined && since !== this.wakes)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.sleepers.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  wakeAll(): void {
    this.wakes++;
    for (const wake of [...this.sleepers]) wake();
  }

  get sleeping(): number {
    return this.sleepers.size;
  }
}
