import type { Rollout, RolloutTenantWhatIf } from '../api/operations';
import {
  approveLabel,
  buildRings,
  heldAs,
  isRolloutAssignmentId,
  isRolloutId,
  nextRing,
  ringLines,
  ringPreview,
  ringState,
  rollbackReasonProblem,
  rolloutAssignmentIdFor,
  rolloutIdFor,
  rolloutRefusal,
  rolloutStatusBadge,
  rolloutWhatIfSummary,
  resolveRings,
  suggestedCanary,
  tenantsText,
  whatIfSinceText,
} from './rollouts';

const members = ['contoso-bank', 'fabrikam-retail', 'woodgrove-bank'];
const names: Record<string, string> = { 'contoso-bank': 'Contoso Bank', 'fabrikam-retail': 'Fabrikam Retail' };
const nameOf = (id: string) => names[id] ?? id;

const row = (tenantId: string, counts: Partial<RolloutTenantWhatIf> = {}): RolloutTenantWhatIf => ({ tenantId, nonCompliantNow: 0, nonCompliantEver: 0, errors: 0, since: null, ...counts });

const rollout = (status: string, approved: number): Pick<Rollout, 'status' | 'rings'> => ({
  status,
  rings: [
    { index: 0, name: 'canary', tenants: ['contoso-bank'], approved: approved > 0, approvedBy: approved > 0 ? 'dev:platform-admin' : null },
    { index: 1, name: 'rest', tenants: ['fabrikam-retail', 'woodgrove-bank'], approved: approved > 1, approvedBy: approved > 1 ? 'dev:platform-admin' : null },
  ],
});

describe('staged rollout rings', () => {
  it('send a canary, then the rest as *, so a member joining before the plan is recorded is in it', () => {
    expect(buildRings(['fabrikam-retail'], members)).toEqual([
      { name: 'canary', tenants: ['fabrikam-retail'] },
      { name: 'rest', tenants: ['*'] },
    ]);
    // in the members' order, once each; a tenant no longer a member is not sent
    expect(buildRings(['woodgrove-bank', 'contoso-bank', 'contoso-bank', 'gone'], members)[0]).toEqual({ name: 'canary', tenants: ['contoso-bank', 'woodgrove-bank'] });
  });

  it('make one ring when there is no canary, and no empty "rest" when the canary is everyone', () => {
    expect(buildRings([], members)).toEqual([{ name: 'all', tenants: ['*'] }]);
    expect(buildRings([...members].reverse(), members)).toEqual([{ name: 'canary', tenants: members }]);
  });

  it('say which members each ring reaches, * read as the API reads it', () => {
    const rings = buildRings(['fabrikam-retail'], members);
    expect(resolveRings(rings, ['woodgrove-bank', 'fabrikam-retail', 'contoso-bank']).map((r) => r.tenants)).toEqual([['fabrikam-retail'], ['contoso-bank', 'woodgrove-bank']]);
    expect(ringPreview(rings, members, nameOf)).toEqual([
      'Ring 0 · canary: Fabrikam Retail (fabrikam-retail)',
      'Ring 1 · rest: every other member — Contoso Bank (contoso-bank) and woodgrove-bank',
    ]);
    expect(ringPreview(buildRings([], ['contoso-bank']), ['contoso-bank'], nameOf)).toEqual(['Ring 0 · all: every member — Contoso Bank (contoso-bank)']);
  });

  it('suggest as canary the member the baseline troubles least now; none with one member', () => {
    expect(suggestedCanary([row('contoso-bank', { nonCompliantNow: 3 }), row('fabrikam-retail', { errors: 1 }), row('woodgrove-bank', { nonCompliantNow: 1, nonCompliantEver: 4 })])).toEqual(['fabrikam-retail']);
    expect(suggestedCanary([row('woodgrove-bank', { nonCompliantEver: 2 }), row('contoso-bank', { nonCompliantEver: 2 })])).toEqual(['contoso-bank']);
    expect(suggestedCanary([row('contoso-bank')])).toEqual([]);
  });

  it('know which ring goes in next and where each stands, before and after a rollback', () => {
    expect(nextRing(rollout('planned', 0))?.name).toBe('canary');
    expect(nextRing(rollout('rolling-out', 1))?.name).toBe('rest');
    expect(nextRing(rollout('complete', 2))).toBeUndefined();
    expect(nextRing(rollout('rolled-back', 1))).toBeUndefined();
    const rolling = rollout('rolling-out', 1);
    expect(rolling.rings.map((r) => ringState(rolling, r))).toEqual(['in', 'next']);
    const planned = rollout('planned', 0);
    expect(ringState(planned, { index: 1, approved: false })).toBe('waiting');
    const back = rollout('rolled-back', 1);
    expect(back.rings.map((r) => ringState(back, r))).toEqual(['taken-back', 'never-in']);
    expect(ringLines(rolling)).toEqual(['0 · canary (1 tenant): in', '1 · rest (2 tenants): next to approve']);
    expect(approveLabel(rolling.rings[1])).toBe('Approve ring 1: rest');
  });

  it('name the tenants a ring reaches', () => {
    expect(tenantsText(['contoso-bank'], nameOf)).toBe('Contoso Bank (contoso-bank)');
    expect(tenantsText(members, nameOf)).toBe('Contoso Bank (contoso-bank), Fabrikam Retail (fabrikam-retail) and woodgrove-bank');
    expect(tenantsText([], nameOf)).toBe('no tenant');
  });
});

describe('a staged rollout what-if', () => {
  it('says in one sentence what breaks now, where, what ever did and what could not be judged', () => {
    expect(
      rolloutWhatIfSummary([
        row('contoso-bank', { nonCompliantNow: 2, nonCompliantEver: 3, since: '2026-11-01T00:00:00Z' }),
        row('fabrikam-retail', { nonCompliantNow: 1, nonCompliantEver: 1, errors: 1, refused: ['storage-cmk: data-plane'] }),
        row('woodgrove-bank'),
      ]),
    ).toBe(
      'Replayed over the recorded history of 3 tenants; 3 resources in 2 tenants would break it now; 4 resources broke it at some point; 1 resource could not be evaluated; some guardrails could not be replayed in 1 tenant (see why)',
    );
    expect(rolloutWhatIfSummary([row('contoso-bank')])).toBe('Replayed over the recorded history of 1 tenant; nothing would break it now');
    expect(rolloutWhatIfSummary([])).toBe('The group has no member: there is nothing to replay it over');
  });

  it('says since when, or that it never broke it', () => {
    expect(whatIfSinceText({ since: '2026-11-01T08:30:00Z', nonCompliantEver: 1 })).toBe('2026-11-01 08:30 UTC');
    expect(whatIfSinceText({ since: null, nonCompliantEver: 0 })).toBe('never broken');
  });
});

describe('staged rollout ids and words', () => {
  it('take the ids the domain takes, and suggest free ones from the baseline', () => {
    expect(['financial-services', 'a'.repeat(24)].every(isRolloutId)).toBe(true);
    expect(['', 'Tls', '-tls', 'a'.repeat(25)].some(isRolloutId)).toBe(false);
    expect(isRolloutAssignmentId('a'.repeat(28))).toBe(true);
    expect(isRolloutAssignmentId('a'.repeat(29))).toBe(false);
    expect(rolloutIdFor('financial-services', [])).toBe('financial-services');
    expect(rolloutIdFor('financial-services', ['financial-services', 'financial-services-2'])).toBe('financial-services-3');
    expect(rolloutIdFor('lib-definition:Storage-MinTLS', [])).toBe('storage-mintls');
    expect(isRolloutId(rolloutIdFor('lib-initiative:Enforce-Guardrails-KeyVault_20260203', ['enforce-guardrails-keyv']))).toBe(true);
    expect(rolloutAssignmentIdFor('lib-definition:Storage-MinTLS')).toBe('storage-mintls');
    expect(rolloutAssignmentIdFor('cis-azure-2.0.0')).toBe('cis-azure-2-0-0');
    // the longest of each stays within a tenant assignment id's 63
    expect(heldAs('r'.repeat(24), 'a'.repeat(28)).length).toBeLessThanOrEqual(63);
  });

  it('show a status and a refusal in words, with the code to quote', () => {
    expect(rolloutStatusBadge('rolled-back')).toEqual({ value: 'neutral', label: 'rolled back' });
    expect(rolloutStatusBadge('rolling-out').label).toBe('rolling out');
    expect(rolloutRefusal('duplicate-rollout', 'rollout tls exists')).toBe('A rollout with this id exists already: choose another id. (duplicate-rollout)');
    expect(rolloutRefusal('invalid-rings', 'ring rest has no tenant')).toBe('The rings do not fit: ring rest has no tenant. (invalid-rings)');
    // shared with a group's assignment
    expect(rolloutRefusal('unknown-baseline', null)).toMatch(/^There is no such baseline.*\(unknown-baseline\)$/);
    expect(rolloutRefusal('something-new', 'why')).toBe('Refused (something-new): why');
    expect(rollbackReasonProblem('  ')).toMatch(/^Say why/);
    expect(rollbackReasonProblem('the canary broke')).toBeUndefined();
    expect(rollbackReasonProblem('x'.repeat(2001))).toMatch(/2,000/);
  });
});
