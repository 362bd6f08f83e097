// The read models this deployment keeps: each context's projections, in the order they are built.
import type { SqlProjection } from '@rampart/event-store';
import { guardrailsProjections } from '@rampart/guardrails-application';
import { incidentsProjections } from '@rampart/incidents-application';
import { inventoryProjections } from '@rampart/ingestion';
import { tenancyProjections } from '@rampart/tenancy-application';

export const platformProjections = (): SqlProjection[] => [
  ...tenancyProjections(),
  ...inventoryProjections(),
  ...guardrailsProjections(),
  ...incidentsProjections(),
];
