// What the comparison with Azure Policy says in words: each side's verdict, the agreement rate, which
// rows a filter shows, and whether there was anything to compare at all (and if not, why). Pure.
import type { AgreementCounts, AgreementKind, AgreementRow, AzureAgreement } from '../api/operations';

/** The kinds a filter shows: differences by default, since agreement is what needs no look. */
export type AgreementFilter = 'differences' | AgreementKind | 'all';

export const AGREEMENT_FILTERS: readonly { readonly value: AgreementFilter; readonly label: string }[] = [
  { value: 'differences', label: 'Differences' },
  { value: 'differ', label: 'Differ' },
  { value: 'azureOnly', label: 'Azure only' },
  { value: 'rampartOnly', label: 'Rampart only' },
  { value: 'agree', label: 'Agree' },
  { value: 'all', label: 'All' },
];

const KINDS: readonly AgreementKind[] = ['differ', 'azureOnly', 'rampartOnly', 'agree'];

export const KIND_LABELS: Readonly<Record<AgreementKind, string>> = { differ: 'Differ', azureOnly: 'Azure only', rampartOnly: 'Rampart only', agree: 'Agree' };

/** What each kind of row means, as the page explains the filter chosen. */
export const KIND_MEANINGS: Readonly<Record<AgreementFilter, string>> = {
  differences: 'Rows where the two do not agree: they differ, or only one of them judged the resource.',
  differ: 'Both judged the resource, with different verdicts (an evaluation error in Rampart counts as different).',
  azureOnly: "Azure judged the resource, Rampart has no verdict: it did not collect the resource, or the resource is outside the scope of Rampart's assignment.",
  rampartOnly: 'Rampart judged the resource for a guardrail Azure evaluates in this tenant; Azure has no state for it.',
  agree: 'Both gave the same verdict.',
  all: 'Every row compared, differences first.',
};

/** The filter a URL asks for; anything else (a tampered or old link) shows the differences. */
export const filterOf = (param: string | null): AgreementFilter => AGREEMENT_FILTERS.find((f) => f.value === param)?.value ?? 'differences';

const kindsOf = (filter: AgreementFilter): readonly AgreementKind[] => (filter === 'differences' ? KINDS.filter((k) => k !== 'agree') : filter === 'all' ? KINDS : [filter]);

export const rowsShown = (rows: readonly AgreementRow[], filter: AgreementFilter): AgreementRow[] => {
  const kinds = kindsOf(filter);
  return rows.filter((r) => kinds.includes(r.kind));
};

/** How many rows of the filter there are in all: the totals count every row, the list stops at 500. */
export const rowsInAll = (totals: AgreementCounts, filter: AgreementFilter): number => kindsOf(filter).reduce((sum, k) => sum + totals[k], 0);

/** "The first 500 of 812 are listed…", when the list stops short of what the filter has. */
export const listedNote = (listed: number, inAll: number): string | undefined =>
  listed < inAll ? `The first ${listed} of ${inAll} are listed: the comparison lists at most 500 rows, differences first.` : undefined;

const AZURE_WORDS: Readonly<Record<string, string>> = { compliant: 'compliant', nonCompliant: 'non-compliant', exempt: 'exempt', unknown: 'unknown' };
const RAMPART_WORDS: Readonly<Record<string, string>> = { compliant: 'compliant', nonCompliant: 'non-compliant', exempt: 'exempt', error: 'evaluation error' };

/** Azure's verdict in words; an unknown state stays readable as Azure's own word. */
export const azureVerdictText = (verdict: string | null): string => (verdict === null ? 'no state' : (AZURE_WORDS[verdict] ?? verdict));
export const rampartVerdictText = (verdict: string | null): string => (verdict === null ? 'no verdict' : (RAMPART_WORDS[verdict] ?? verdict));

/**
 * "92.5%": agreement among resources both judged, to a tenth. A rate short of full agreement never
 * reads 100% (nor one above none 0%): one difference in a thousand still needs a look.
 */
export const rateText = (rate: number | null): string => {
  if (rate === null || !Number.isFinite(rate)) return 'n/a';
  const tenths = Math.round(rate * 1000);
  const shown = rate < 1 ? Math.min(tenths, 999) : tenths;
  return `${(rate > 0 ? Math.max(shown, 1) : shown) / 10}%`;
};

/** "37 of 40 resources judged by both", or why there is no rate. */
export const rateDetail = (c: Pick<AgreementCounts, 'agree' | 'differ'>): string => {
  const both = c.agree + c.differ;
  return both === 0 ? 'no resource judged by both' : `${c.agree} of ${both} ${both === 1 ? 'resource' : 'resources'} judged by both`;
};

/**
 * "Microsoft.Sql/servers/databases": the type an ARM id names, shown under the resource's name as the
 * coverage page shows it (the comparison carries ids only; Azure's may name resources Rampart never
 * collected). Empty for an id that is not an ARM resource id.
 */
export const resourceTypeOf = (resourceId: string): string => {
  const segments = resourceId.split('/').filter(Boolean);
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  const namespace = segments[at + 1];
  if (at === -1 || !namespace) return '';
  const types = segments.slice(at + 2).filter((_, i) => i % 2 === 0);
  return types.length === 0 ? '' : [namespace, ...types].join('/');
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "through prod and dev: 3 subscriptions": where Azure's states were read. */
export const readThrough = (connections: AzureAgreement['connections']): string => {
  const ids = connections.map((c) => c.connectionId);
  const names = ids.length <= 1 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
  const subscriptions = connections.reduce((n, c) => n + c.subscriptions.length, 0);
  return `through ${names}: ${plural(subscriptions, 'subscription', 'subscriptions')}`;
};

export type AgreementOutcome =
  /** No cloud connection: Azure was not read, there is nothing to show but why. */
  | { readonly kind: 'no-connection' }
  /** Azure was read, but no state it returned speaks about a guardrail Rampart has. */
  | { readonly kind: 'nothing-compared'; readonly why: string }
  | { readonly kind: 'compared' };

/** Whether the page has a comparison to show, and when not, why, in the order a person would check. */
export const agreementOutcome = (a: Pick<AzureAgreement, 'connections' | 'totals' | 'failures' | 'notComparable'>): AgreementOutcome => {
  if (a.connections.length === 0) return { kind: 'no-connection' };
  const t = a.totals;
  if (t.agree + t.differ + t.azureOnly + t.rampartOnly > 0) return { kind: 'compared' };
  const states = a.connections.reduce((n, c) => n + c.states, 0);
  const subscriptions = a.connections.reduce((n, c) => n + c.subscriptions.length, 0);
  if (states > 0) return { kind: 'nothing-compared', why: `None of the ${plural(states, 'state', 'states')} Azure returned names a guardrail Rampart has, so none could be compared.` };
  if (a.failures.length > 0) return { kind: 'nothing-compared', why: 'Azure returned no policy state: it refused the subscriptions listed below.' };
  if (subscriptions === 0) return { kind: 'nothing-compared', why: "The tenant's cloud connections reach no subscription, so Azure had no state to return." };
  return { kind: 'nothing-compared', why: 'Azure returned no policy state for the subscriptions connected: no Azure Policy assignment evaluates them yet.' };
};

/** Why some of Azure's states are left out: they speak about policies Rampart has no guardrail for. */
export const notComparableText = (n: number): string | undefined =>
  n === 0
    ? undefined
    : `${plural(n, 'state', 'states')} Azure returned ${n === 1 ? 'names' : 'name'} no guardrail Rampart has (a custom definition, or an initiative that is not a regulatory standard): not compared.`;

export const malformedText = (n: number): string | undefined =>
  n === 0 ? undefined : `${plural(n, 'row', 'rows')} Resource Graph returned ${n === 1 ? 'lacks' : 'lack'} a resource, a definition or a state: left out.`;
