// Prometheus metrics for the process: Node defaults plus projection lag, read on each scrape.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ProjectionStatus } from '@rampart/event-store';

export const createMetrics = (statuses: () => Promise<ProjectionStatus[]>): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rampart_' });
  let last: Promise<ProjectionStatus[]> | undefined;
  // One status read per scrape, shared by the gauges below.
  const current = () => (last ??= statuses().finally(() => setTimeout(() => (last = undefined), 0)));
  new Gauge({
    name: 'rampart_projection_events_behind',
    help: 'Events in the log that the projection has not applied yet (capped at 10000)',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const s of await current()) this.set({ projection: s.name }, s.eventsBehind);
    },
  });
  new Gauge({
    name: 'rampart_projection_seconds_behind',
    help: 'Age in seconds of the oldest event the projection has not applied yet',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const s of await current()) this.set({ projection: s.name }, s.secondsBehind);
    },
  });
  new Gauge({
    name: 'rampart_projection_events_applied',
    help: 'Events applied since the projection was last built',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const s of await current()) this.set({ projection: s.name }, s.eventsApplied);
    },
  });
  return registry;
};
