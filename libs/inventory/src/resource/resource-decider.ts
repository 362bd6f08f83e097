// One stream per resource (`t-<tenant>:resource-<hash of its key>`): observing a snapshot records
// a discovery, a configuration change (with its patch) or nothing; a complete scan that no longer
// sees the resource records its removal.
import { reject, type Decider, type Decision } from '@rampart/event-sourcing';
import { evolveResourceConfiguration, initialResourceConfiguration, type ReportedChange, type ResourceConfiguration, type ResourceEvent } from '../events';
import { configurationOf, hashOfConfiguration, DEFAULT_VOLATILE_PATHS, patchBetween } from './content';
import type { ResourceSnapshot } from './resource';

/** The decider's state is the published configuration fold: what other contexts rebuild is what inventory decides on. */
export type ResourceState = ResourceConfiguration;

export interface ObserveResource {
  readonly kind: 'ObserveResource';
  readonly snapshot: ResourceSnapshot;
  readonly runId: string;
  readonly volatilePaths?: readonly string[];
  /** The cloud's change records this observation follows from (a change feed); absent for snapshots. */
  readonly reportedChanges?: readonly ReportedChange[];
}

export interface ObserveResourceGone {
  readonly kind: 'ObserveResourceGone';
  readonly resourceKey: string;
  readonly runId: string;
  readonly reportedChanges?: readonly ReportedChange[];
}

export type ResourceCommand = ObserveResource | ObserveResourceGone;

/** The attribution field, only when there is something to attribute: events stay as they were without it. */
const attributed = (reportedChanges: readonly ReportedChange[] | undefined) =>
  reportedChanges?.length ? { reportedChanges: [...reportedChanges] } : {};

const observe = (cmd: ObserveResource, state: ResourceState): Decision<ResourceEvent> => {
  const volatilePaths = cmd.volatilePaths ?? DEFAULT_VOLATILE_PATHS;
  const configuration = configurationOf(cmd.snapshot, volatilePaths);
  const hash = hashOfConfiguration(configuration);
  const { key: resourceKey, id, type } = cmd.snapshot;
  if (!state.exists) {
    return [{ type: 'inventory.ResourceDiscovered.v1', data: { resourceKey, id, type, configuration, contentHash: hash, runId: cmd.runId, ...attributed(cmd.reportedChanges) } }];
  }
  if (state.hash === hash) return [];
  return [
    {
      type: 'inventory.ResourceConfigurationChanged.v1',
      data: { resourceKey, id, type, patch: patchBetween(state.configuration, configuration), beforeHash: state.hash, afterHash: hash, runId: cmd.runId, ...attributed(cmd.reportedChanges) },
    },
  ];
};

const gone = (cmd: ObserveResourceGone, state: ResourceState): Decision<ResourceEvent> => {
  if (!state.exists) return reject('resource-not-present');
  return [{ type: 'inventory.ResourceRemoved.v1', data: { resourceKey: cmd.resourceKey, id: state.id, type: state.type, lastHash: state.hash, runId: cmd.runId, ...attributed(cmd.reportedChanges) } }];
};

export const resourceDecider: Decider<ResourceCommand, ResourceState, ResourceEvent> = {
  decide: (cmd, state) => (cmd.kind === 'ObserveResource' ? observe(cmd, state) : gone(cmd, state)),
  evolve: evolveResourceConfiguration,
  initialState: initialResourceConfiguration,
};
