// A resource's configuration after its events, and the stream that holds them: what another context
// (guardrail evaluation) needs to rebuild a resource as of any of its events without inventory's
// decider. Inventory's own decider folds its state with this same function.
import { createHash } from 'node:crypto';
import { streamIdFor } from '@rampart/event-sourcing';
import { applyPatch } from 'fast-json-patch';
import type { JsonPatch, ResourceEvent } from './events';

/** The resource as its events left it: its last configuration and content hash, or its absence. */
export type ResourceConfiguration =
  | { readonly exists: false; readonly lastHash?: string }
  | { readonly exists: true; readonly id: string; readonly type: string; readonly configuration: unknown; readonly hash: string };

export const initialResourceConfiguration = (): ResourceConfiguration => ({ exists: false });

/** Applies an RFC 6902 patch to a copy of a plain JSON value. */
const patched = (configuration: unknown, patch: JsonPatch): unknown =>
  applyPatch(JSON.parse(JSON.stringify(configuration)), patch, false, true).newDocument;

/** One event's effect. A change to a resource that is not there (a stream read from its middle) changes nothing. */
export const evolveResourceConfiguration = (state: ResourceConfiguration, event: ResourceEvent): ResourceConfiguration => {
  switch (event.type) {
    case 'inventory.ResourceDiscovered.v1':
      return { exists: true, id: event.data.id, type: event.data.type, configuration: event.data.configuration, hash: event.data.contentHash };
    case 'inventory.ResourceConfigurationChanged.v1':
      return state.exists ? { ...state, id: event.data.id, configuration: patched(state.configuration, event.data.patch), hash: event.data.afterHash } : state;
    case 'inventory.ResourceRemoved.v1':
      return { exists: false, lastHash: event.data.lastHash };
    default:
      return state;
  }
};

/** The configuration after these events of one resource's stream, in order. */
export const configurationAfter = (events: readonly ResourceEvent[]): ResourceConfiguration =>
  events.reduce(evolveResourceConfiguration, initialResourceConfiguration());

/** Resource streams are named by a hash of the key: ARM ids are long, and contain '/' and spaces. */
export const resourceStreamId = (tenantId: string, resourceKey: string): string =>
  streamIdFor(tenantId, 'resource', createHash('sha256').update(resourceKey).digest('hex').slice(0, 32));
