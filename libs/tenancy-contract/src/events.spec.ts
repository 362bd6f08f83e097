import type { RecordedEvent } from '@rampart/event-sourcing';
import { API_KEY_EVENT_TYPES, isSocTeamAssigned, isSocTeamUnassigned, isTenancyEvent, TENANCY_EVENT_TYPES, type ApiKeyEvent, type TenancyEvent } from './events';

// Every type name of each union, once: a name added to a union but not to its list fails here.
const TENANCY: Record<TenancyEvent['type'], true> = {
  'tenancy.TenantOnboarded.v1': true,
  'tenancy.TenantSuspended.v1': true,
  'tenancy.TenantReinstated.v1': true,
  'tenancy.SocTeamAssigned.v1': true,
  'tenancy.SocTeamUnassigned.v1': true,
  'tenancy.CloudConnectionAdded.v1': true,
  'tenancy.CloudConnectionRemoved.v1': true,
  'tenancy.TenantOffboarded.v1': true,
};
const API_KEYS: Record<ApiKeyEvent['type'], true> = { 'tenancy.ApiKeyIssued.v1': true, 'tenancy.ApiKeyRevoked.v1': true };

const read = (type: string, data: unknown = {}) => ({ type, data }) as Pick<RecordedEvent, 'type' | 'data'>;

describe("tenancy's contract", () => {
  it('lists every type name of its unions once', () => {
    expect([...TENANCY_EVENT_TYPES].sort()).toEqual(Object.keys(TENANCY).sort());
    expect([...API_KEY_EVENT_TYPES].sort()).toEqual(Object.keys(API_KEYS).sort());
  });

  it("tells a tenant's own events from API key events and other contexts' events", () => {
    expect(TENANCY_EVENT_TYPES.every((type) => isTenancyEvent(read(type)))).toBe(true);
    expect(API_KEY_EVENT_TYPES.some((type) => isTenancyEvent(read(type)))).toBe(false);
    expect(isTenancyEvent(read('guardrails.FindingOpened.v1'))).toBe(false);
  });

  it('narrows SOC team assignments to their payload', () => {
    const e = read('tenancy.SocTeamAssigned.v1', { tenantId: 'contoso', socTeam: 'soc-emea' });
    expect(isSocTeamAssigned(e) && e.data.socTeam).toBe('soc-emea');
    expect(isSocTeamUnassigned(e)).toBe(false);
    expect(isSocTeamUnassigned(read('tenancy.SocTeamUnassigned.v1'))).toBe(true);
  });
});
