// Incidents' read models as SQL document projections.
import { documentProjection, type SqlProjection } from '@rampart/event-store';
import { incidentQueue, responseActions, type ActionEntry, type IncidentEntry } from '@rampart/incidents';

export const incidentsProjections = (): SqlProjection[] => [
  documentProjection<IncidentEntry>({
    ...incidentQueue,
    indexes: [{ name: 'incidents_queue', expression: "tenant_id, (doc->>'status'), (doc->>'openedAt') DESC" }],
  }),
  documentProjection<ActionEntry>({
    ...responseActions,
    indexes: [
      { name: 'response_actions_incident', expression: "tenant_id, (doc->>'incidentId')" },
      // the action runner's polls: approved actions, and executing ones by age
      { name: 'response_actions_status', expression: "(doc->>'status'), updated_at" },
    ],
  }),
];
