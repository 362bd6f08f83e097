// What a tenant chose in guardrails' reporting policy for incidents (`incidentSeverities`, deprecated):
// the incidents context decides which findings open an incident from its own policy, and asks this —
// through the port the composition hands it — only for a tenant whose incident policy never named its
// own, so a choice recorded before incidents decided this itself keeps holding.
import type { EventStore } from '@rampart/event-sourcing';
import { tenantGuardrailsStreamId, type ReportingPolicySet, type Severity } from '@rampart/guardrails';

const PAGE = 100;

/** The incident severities of the tenant's last recorded reporting policy; undefined if it never recorded one. */
export const recordedIncidentSeverities =
  (store: Pick<EventStore, 'readStream'>) =>
  async (tenantId: string): Promise<readonly Severity[] | undefined> => {
    const streamId = tenantGuardrailsStreamId(tenantId);
    // The policy stream also holds assignments and exemptions: read back from its end to the last choice.
    for (let from: number | undefined; ; ) {
      const page = await store.readStream(streamId, { direction: 'backwards', maxCount: PAGE, ...(from === undefined ? {} : { fromRevision: from }) });
      const set = page.find((e) => e.type === 'guardrails.ReportingPolicySet.v1');
      if (set) return (set as unknown as ReportingPolicySet).data.incidentSeverities;
      if (page.length < PAGE || page[page.length - 1].revision === 0) return undefined;
      from = page[page.length - 1].revision - 1;
    }
  };
