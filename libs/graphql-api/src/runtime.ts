// What the API needs from the process that hosts it: stores, logger, metrics, the worker's
// projection status (in standalone mode the worker runs in the same process) and authentication.
import type { ProjectionStatus } from '@rampart/event-store';
import type { AuditExports } from '@rampart/audit-application';
import type { AgreementSource } from '@rampart/platform';
import { type Logger, type Stores } from '@rampart/runtime';
import type { Registry } from 'prom-client';
import type { Authenticator } from './auth/authenticator';
import type { ConsoleOptions } from './http/console';

export const RUNTIME = Symbol('RampartRuntime');

export interface ApiRuntime {
  readonly version: string;
  readonly stores: Stores;
  readonly log: Logger;
  readonly metrics: Registry;
  readonly projectionStatuses: () => Promise<ProjectionStatus[]>;
  readonly production: boolean;
  readonly authenticator: Authenticator;
  readonly rateLimitPerMinute: number;
  /** `RAMPART_METRICS_TOKEN`: lets a Prometheus scraper on another machine read /metrics. */
  readonly metricsToken?: string;
  readonly limits: { readonly maxDepth: number; readonly maxCost: number; readonly maxAliases: number; readonly maxTokens: number };
  /** The web console this API serves, and how it signs in. */
  readonly console?: ConsoleOptions;
  /** Audit exports asked for through the API, and their download links. */
  readonly audit: AuditExports;
  /** How a tenant's cloud connection reaches Azure Resource Graph (its credential by reference); tests point it at a replay. */
  readonly resourceGraph: AgreementSource;
}
