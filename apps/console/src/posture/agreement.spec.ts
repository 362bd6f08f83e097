import type { AgreementRow, AzureAgreement } from '../api/operations';
import {
  agreementOutcome,
  azureVerdictText,
  filterOf,
  listedNote,
  malformedText,
  notComparableText,
  rampartVerdictText,
  rateDetail,
  rateText,
  readThrough,
  resourceTypeOf,
  rowsInAll,
  rowsShown,
} from './agreement';

const row = (kind: AgreementRow['kind'], resource: string): AgreementRow => ({ guardrailId: 'storage-https-only', resourceId: `/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${resource}`, azure: null, rampart: null, kind });
const rows = [row('differ', 'a'), row('azureOnly', 'b'), row('rampartOnly', 'c'), row('agree', 'd'), row('agree', 'e')];
const totals = { agree: 2, differ: 1, azureOnly: 1, rampartOnly: 1, rate: 2 / 3 };
const prod = { connectionId: 'prod', subscriptions: ['s1', 's2'], states: 40 };
const compared: Pick<AzureAgreement, 'connections' | 'totals' | 'failures' | 'notComparable'> = { connections: [prod], totals, failures: [], notComparable: 0 };
const none = { agree: 0, differ: 0, azureOnly: 0, rampartOnly: 0, rate: null };

describe('agreement with Azure in words', () => {
  it('shows the differences unless another kind is asked for, and reads a tampered filter as the default', () => {
    expect(filterOf(null)).toBe('differences');
    expect(filterOf('agree')).toBe('agree');
    expect(filterOf('all')).toBe('all');
    expect(filterOf('everything')).toBe('differences');
    expect(rowsShown(rows, 'differences').map((r) => r.kind)).toEqual(['differ', 'azureOnly', 'rampartOnly']);
    expect(rowsShown(rows, 'agree')).toHaveLength(2);
    expect(rowsShown(rows, 'rampartOnly').map((r) => r.kind)).toEqual(['rampartOnly']);
    expect(rowsShown(rows, 'all')).toHaveLength(5);
  });

  it('counts what a filter has in all, and says when the list of 500 stops short of it', () => {
    expect(rowsInAll(totals, 'differences')).toBe(3);
    expect(rowsInAll(totals, 'all')).toBe(5);
    expect(rowsInAll({ ...totals, agree: 900 }, 'agree')).toBe(900);
    expect(listedNote(3, 3)).toBeUndefined();
    expect(listedNote(0, 900)).toBe('The first 0 of 900 are listed: the comparison lists at most 500 rows, differences first.');
  });

  it("puts each side's verdict in words, saying so when a side has none", () => {
    expect(azureVerdictText('nonCompliant')).toBe('non-compliant');
    expect(azureVerdictText('unknown')).toBe('unknown');
    expect(azureVerdictText(null)).toBe('no state');
    expect(azureVerdictText('conflict')).toBe('conflict');
    expect(rampartVerdictText('compliant')).toBe('compliant');
    expect(rampartVerdictText('error')).toBe('evaluation error');
    expect(rampartVerdictText('exempt')).toBe('exempt');
    expect(rampartVerdictText(null)).toBe('no verdict');
  });

  it('gives the rate to a tenth, never 100% short of full agreement nor 0% above none', () => {
    expect(rateText(0.925)).toBe('92.5%');
    expect(rateText(2 / 3)).toBe('66.7%');
    expect(rateText(1)).toBe('100%');
    expect(rateText(0.9996)).toBe('99.9%');
    expect(rateText(0.0004)).toBe('0.1%');
    expect(rateText(0)).toBe('0%');
    expect(rateText(null)).toBe('n/a');
    expect(rateDetail(totals)).toBe('2 of 3 resources judged by both');
    expect(rateDetail({ agree: 0, differ: 1 })).toBe('0 of 1 resource judged by both');
    expect(rateDetail(none)).toBe('no resource judged by both');
  });

  it('names the connections Azure was read through', () => {
    expect(readThrough([prod])).toBe('through prod: 2 subscriptions');
    expect(readThrough([prod, { connectionId: 'dev', subscriptions: ['s3'], states: 0 }, { connectionId: 'lab', subscriptions: [], states: 0 }])).toBe('through prod, dev and lab: 3 subscriptions');
    expect(readThrough([{ connectionId: 'dev', subscriptions: ['s3'], states: 0 }])).toBe('through dev: 1 subscription');
  });

  it('reads the resource type out of an ARM id, nested types included', () => {
    expect(resourceTypeOf('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1')).toBe('Microsoft.Storage/storageAccounts');
    expect(resourceTypeOf('/subscriptions/s1/resourcegroups/rg/providers/microsoft.sql/servers/sql1/databases/db1')).toBe('microsoft.sql/servers/databases');
    expect(resourceTypeOf('/subscriptions/s1/resourceGroups/rg')).toBe('');
    expect(resourceTypeOf('/subscriptions/s1/providers/')).toBe('');
  });

  it('shows an empty state, no table, when the tenant has no cloud connection', () => {
    expect(agreementOutcome({ ...compared, connections: [], totals: none })).toEqual({ kind: 'no-connection' });
    expect(agreementOutcome(compared)).toEqual({ kind: 'compared' });
    // one side only is still something compared
    expect(agreementOutcome({ ...compared, totals: { ...none, rampartOnly: 0, azureOnly: 4 } })).toEqual({ kind: 'compared' });
  });

  it('says why nothing was compared when Azure was read', () => {
    const why = (a: Partial<typeof compared>) => {
      const outcome = agreementOutcome({ ...compared, totals: none, ...a });
      return outcome.kind === 'nothing-compared' ? outcome.why : outcome.kind;
    };
    expect(why({ notComparable: 40 })).toBe('None of the 40 states Azure returned names a guardrail Rampart has, so none could be compared.');
    expect(why({ connections: [{ ...prod, states: 0 }], failures: ['s1: AuthorizationFailed'] })).toBe('Azure returned no policy state: it refused the subscriptions listed below.');
    expect(why({ connections: [{ ...prod, subscriptions: [], states: 0 }] })).toBe("The tenant's cloud connections reach no subscription, so Azure had no state to return.");
    expect(why({ connections: [{ ...prod, states: 0 }] })).toBe('Azure returned no policy state for the subscriptions connected: no Azure Policy assignment evaluates them yet.');
  });

  it('explains the states left out, only when there are some', () => {
    expect(notComparableText(0)).toBeUndefined();
    expect(notComparableText(1)).toBe('1 state Azure returned names no guardrail Rampart has (a custom definition, or an initiative that is not a regulatory standard): not compared.');
    expect(notComparableText(12)).toMatch(/^12 states Azure returned name no guardrail Rampart has/);
    expect(malformedText(0)).toBeUndefined();
    expect(malformedText(2)).toBe('2 rows Resource Graph returned lack a resource, a definition or a state: left out.');
  });
});
