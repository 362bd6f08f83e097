// What the live benchmark's parent (the API under test, main.ts) and its clients' child process
// (clients.ts) say to each other over IPC.

export type LiveOperation = 'tenantEvents' | 'incidentEvents';

export interface ClientSpec {
  readonly id: string;
  /** Who the screen belongs to, for the report: customer.viewer, soc.analyst, … */
  readonly role: string;
  readonly token: string;
  readonly subscriptions: readonly { readonly op: LiveOperation; readonly tenantId: string }[];
}

export interface Received {
  readonly eventId: string;
  readonly tenantId: string;
  readonly type: string;
  readonly position: string;
}

export interface SubscriptionResult {
  readonly clientId: string;
  readonly op: LiveOperation;
  readonly tenantId: string;
  readonly received: Received[];
  /** Why it ended, when it did (an error, a closed socket): in this benchmark nothing should end. */
  ended?: string;
}

export type ParentMessage =
  | { readonly type: 'connect'; readonly url: string; readonly clients: readonly ClientSpec[]; readonly concurrency: number }
  | { readonly type: 'progress'; readonly probeIds: readonly string[] }
  | { readonly type: 'finish' }
  | { readonly type: 'disconnect' };

export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'connected'; readonly connected: number; readonly failed: number; readonly failures: string[]; readonly ms: number }
  | {
      readonly type: 'progress';
      readonly subscriptions: number;
      readonly probed: number;
      readonly deliveries: number;
      readonly measured: number;
      readonly ended: string[];
      readonly endedCount: number;
    }
  /** latencies: [received at (epoch ms), append→delivery ms] per delivery of a measured event. */
  | { readonly type: 'results'; readonly results: SubscriptionResult[]; readonly latencies: [number, number][] }
  | { readonly type: 'disconnected' }
  | { readonly type: 'failed'; readonly error: string };
