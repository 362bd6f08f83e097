import type { TenancyEvent } from './events';
import { socTeamsAt } from './tenant';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString();
const assigned = (socTeam: string, minute: number) => ({ type: 'tenancy.SocTeamAssigned.v1', data: { tenantId: 'bank', socTeam }, recordedAt: at(minute) }) as TenancyEvent & { recordedAt: string };
const unassigned = (socTeam: string, minute: number) => ({ type: 'tenancy.SocTeamUnassigned.v1', data: { tenantId: 'bank', socTeam }, recordedAt: at(minute) }) as TenancyEvent & { recordedAt: string };

describe('the SOC teams that served a tenant at an instant', () => {
  const history = [assigned('blue', 10), assigned('red', 20), unassigned('blue', 30)];
  it('are those assigned by then and not unassigned since', () => {
    expect(socTeamsAt(history, new Date(at(5)))).toEqual([]);
    expect(socTeamsAt(history, new Date(at(10)))).toEqual(['blue']);
    expect(socTeamsAt(history, new Date(at(25)))).toEqual(['blue', 'red']);
    expect(socTeamsAt(history, new Date(at(45)))).toEqual(['red']);
  });
});
