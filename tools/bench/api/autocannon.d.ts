// The part of autocannon's programmatic API the API benchmark uses (the package ships no types,
// and @types/autocannon is not installed).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      readonly url: string;
      readonly method?: 'GET' | 'POST';
      readonly headers?: Record<string, string>;
      readonly body?: string;
      readonly connections?: number;
      /** Seconds. */
      readonly duration?: number;
      readonly pipelining?: number;
      /** Seconds before a request counts as a timeout. */
      readonly timeout?: number;
      /** Runs the load in this many worker threads; functions must then be given as module paths. */
      readonly workers?: number;
      /** A function, or (with workers) the path of a module exporting one: false counts a mismatch. */
      readonly verifyBody?: string | ((body: string) => boolean);
      readonly title?: string;
    }

    /** Percentiles and moments of one histogram (latency in ms, requests/throughput per second). */
    interface Histogram {
      readonly average: number;
      readonly mean: number;
      readonly stddev: number;
      readonly min: number;
      readonly max: number;
      readonly total: number;
      readonly p50: number;
      readonly p90: number;
      readonly p99: number;
      readonly p99_9?: number;
      readonly sent?: number;
    }

    interface Result {
      readonly duration: number;
      readonly samples: number;
      readonly errors: number;
      readonly timeouts: number;
      readonly mismatches: number;
      readonly non2xx: number;
      readonly resets: number;
      readonly '2xx': number;
      readonly statusCodeStats: Record<string, { count: number }>;
      readonly latency: Histogram;
      readonly requests: Histogram;
      readonly throughput: Histogram;
    }

    interface Instance extends EventEmitter {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options, callback: (error: Error | null, result: autocannon.Result) => void): autocannon.Instance;

  export = autocannon;
}
