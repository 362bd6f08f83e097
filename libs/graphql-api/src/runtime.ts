// What the API needs from the process that hosts it: stores, logger, metrics and the worker's
// projection status (in standalone mode the worker runs in the same process).
import type { ProjectionStatus } from '@rampart/event-store';
import type { Logger, Stores } from '@rampart/platform';
import type { Registry } from 'prom-client';

export const RUNTIME = Symbol('RampartRuntime');

export interface ApiRuntime {
  readonly version: string;
  readonly stores: Stores;
  readonly log: Logger;
  readonly metrics: Registry;
  readonly projectionStatuses: () => Promise<ProjectionStatus[]>;
  readonly production: boolean;
}
