// One stream per resource (`t-<tenant>:resource-<hash of its key>`): observing a snapshot records
// a discovery, a configuration change (with its patch) or nothing; a complete scan that no longer
// sees the resource records its removal.
import { createHash } from 'node:crypto';
import { applyPatch as applyJsonPatch, type Operation } from 'fast-json-patch';
import { reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import type { ResourceEvent } from '../events';
import { configurationOf, hashOfConfiguration, DEFAULT_VOLATILE_PATHS, patchBetween } from './content';
import type { ResourceSnapshot } from './resource';

export type ResourceState =
  | { readonly exists: false; readonly lastHash?: string }
  | { readonly exists: true; readonly id: string; readonly type: string; readonly configuration: unknown; readonly hash: string };

export interface ObserveResource {
  readonly kind: 'ObserveResource';
  readonly snapshot: ResourceSnapshot;
  readonly runId: string;
  readonly volatilePaths?: readonly string[];
}

export interface ObserveResourceGone {
  readonly kind: 'ObserveResourceGone';
  readonly resourceKey: string;
  readonly runId: string;
}

export type ResourceCommand = ObserveResource | ObserveResourceGone;

const observe = (cmd: ObserveResource, state: ResourceState): Decision<ResourceEvent> => {
  const volatilePaths = cmd.volatilePaths ?? DEFAULT_VOLATILE_PATHS;
  const configuration = configurationOf(cmd.snapshot, volatilePaths);
  const hash = hashOfConfiguration(configuration);
  const { key: resourceKey, id, type } = cmd.snapshot;
  if (!state.exists) {
    return [{ type: 'inventory.ResourceDiscovered.v1', data: { resourceKey, id, type, configuration, contentHash: hash, runId: cmd.runId } }];
  }
  if (state.hash === hash) return [];
  return [
    {
      type: 'inventory.ResourceConfigurationChanged.v1',
      data: { resourceKey, id, type, patch: patchBetween(state.configuration, configuration), beforeHash: state.hash, afterHash: hash, runId: cmd.runId },
    },
  ];
};

const gone = (cmd: ObserveResourceGone, state: ResourceState): Decision<ResourceEvent> => {
  if (!state.exists) return reject('resource-not-present');
  return [{ type: 'inventory.ResourceRemoved.v1', data: { resourceKey: cmd.resourceKey, id: state.id, type: state.type, lastHash: state.hash, runId: cmd.runId } }];
};

/** Applies an RFC 6902 patch to a copy of a plain JSON value. */
const applyPatch = (configuration: unknown, patch: Operation[]): unknown =>
  applyJsonPatch(JSON.parse(JSON.stringify(configuration)), patch, false, true).newDocument;

export const resourceDecider: Decider<ResourceCommand, ResourceState, ResourceEvent> = {
  decide: (cmd, state) => (cmd.kind === 'ObserveResource' ? observe(cmd, state) : gone(cmd, state)),
  evolve: (state, event) => {
    switch (event.type) {
      case 'inventory.ResourceDiscovered.v1':
        return { exists: true, id: event.data.id, type: event.data.type, configuration: event.data.configuration, hash: event.data.contentHash };
      case 'inventory.ResourceConfigurationChanged.v1':
        return state.exists
          ? { ...state, id: event.data.id, configuration: applyPatch(state.configuration, event.data.patch), hash: event.data.afterHash }
          : state;
      case 'inventory.ResourceRemoved.v1':
        return { exists: false, lastHash: event.data.lastHash };
      default:
        return state;
    }
  },
  initialState: () => ({ exists: false }),
};

/** Resource streams are named by a hash of the key: ARM ids are long, and contain '/' and spaces. */
export const resourceStreamId = (tenantId: string, resourceKey: string): string =>
  streamIdFor(tenantId, 'resource', createHash('sha256').update(resourceKey).digest('hex').slice(0, 32));
