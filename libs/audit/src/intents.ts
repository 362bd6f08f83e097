// What each audit command does, for the tenant-standing rule (`standingOf` in tenancy): an export
// reads the record, so an offboarded tenant's auditors may still take one.
import type { CommandIntent } from '@rampart/event-sourcing';
import type { AuditTrailCommand } from './trail';

export const AUDIT_COMMAND_INTENTS: { readonly [K in AuditTrailCommand['kind']]: CommandIntent } = {
  RecordExport: 'reads',
};
