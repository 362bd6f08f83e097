// The tenant's audit trail of exports, one stream per tenant (`t-<tenant>:audit-exports`): every
// export is recorded as an event of the tenant's own history (so the next export carries it), and
// the last manifest's digest is what the next export chains to. The chain may not fork: an export
// that chained to a manifest that is no longer the last is refused.
import { reject, streamIdFor, type Decider, type Decision, type DomainEvent } from '@rampart/event-sourcing';
import type { ManifestFile } from './manifest';

export interface AuditExportRecord {
  readonly exportId: string;
  /** ISO 8601; inclusive. */
  readonly from: string;
  /** ISO 8601; exclusive. */
  readonly to: string;
  readonly manifestSha256: string;
  readonly previousManifestSha256: string | null;
  readonly eventCount: number;
  readonly firstPosition: string | null;
  readonly lastPosition: string | null;
  readonly files: readonly ManifestFile[];
}

export type AuditExported = DomainEvent<'audit.AuditExported.v1', AuditExportRecord>;
export type AuditTrailEvent = AuditExported;

export interface RecordExport extends AuditExportRecord {
  readonly kind: 'RecordExport';
}

export type AuditTrailCommand = RecordExport;

export interface AuditTrail {
  readonly exportIds: ReadonlySet<string>;
  /** What the next export's manifest names as `previousManifestSha256`. */
  readonly lastManifestSha256: string | null;
}

export const auditTrailStreamId = (tenantId: string): string => streamIdFor(tenantId, 'audit', 'exports');

const HEX64 = /^[0-9a-f]{64}$/;
const POSITION = /^\d+\/\d+$/;

const decide = (cmd: RecordExport, trail: AuditTrail): Decision<AuditExported> => {
  if (trail.exportIds.has(cmd.exportId)) return reject('export-already-recorded', `export ${cmd.exportId} is already in the trail`);
  if (cmd.previousManifestSha256 !== trail.lastManifestSha256) {
    return reject(
      'chain-moved',
      `the export chains to ${cmd.previousManifestSha256 ?? 'nothing'}, but the trail's last manifest is ${trail.lastManifestSha256 ?? 'none'}: another export was recorded meanwhile; export again`,
    );
  }
  const from = Date.parse(cmd.from);
  const to = Date.parse(cmd.to);
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) return reject('invalid-period', 'from must be an instant before to');
  if (!HEX64.test(cmd.manifestSha256)) return reject('invalid-manifest-digest', 'a SHA-256 as 64 lowercase hex digits');
  if (!Number.isInteger(cmd.eventCount) || cmd.eventCount < 0) return reject('invalid-event-count');
  const positions = [cmd.firstPosition, cmd.lastPosition];
  if (!(cmd.eventCount === 0 ? positions.every((p) => p === null) : positions.every((p) => p !== null && POSITION.test(p)))) {
    return reject('invalid-positions', 'first and last position "<commit>/<prepare>" when there are events, null when there are none');
  }
  const { kind: _kind, ...record } = cmd;
  return [{ type: 'audit.AuditExported.v1', data: record }];
};

export const auditTrailDecider: Decider<AuditTrailCommand, AuditTrail, AuditTrailEvent> = {
  decide,
  evolve: (trail, event) =>
    event.type === 'audit.AuditExported.v1'
      ? { exportIds: new Set([...trail.exportIds, event.data.exportId]), lastManifestSha256: event.data.manifestSha256 }
      : trail,
  initialState: () => ({ exportIds: new Set(), lastManifestSha256: null }),
};
