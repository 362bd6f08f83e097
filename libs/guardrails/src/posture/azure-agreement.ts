// Where Azure Policy's own verdicts and Rampart's differ, per definition and resource: the honest
// measure of Rampart's fidelity on a live estate, and what a provider moving from Defender for Cloud
// wants to see. Pure: the caller brings Azure's states (read from Resource Graph) and Rampart's
// current verdicts. An Azure state names a guardrail through the initiative it was assigned in (a
// regulatory standard's member `<standard>:<reference id>`) or its definition (a curated guardrail
// built on that built-in); a state that names none is counted as not comparable.
import type { Catalog } from '../catalog/guardrail';
import type { PostureState } from '../events';

/** Azure's state as the comparison reads it. */
export interface AzureVerdictInput {
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly policyDefinitionName: string;
  readonly policySetDefinitionName: string | null;
  readonly policyDefinitionReferenceId: string | null;
  readonly complianceState: string;
}

/** Rampart's current verdict on a resource for a guardrail (one entry per assignment evaluating it). */
export interface RampartVerdictInput {
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly guardrailId: string;
  readonly state: Exclude<PostureState, 'notApplicable'>;
}

/** Which Rampart guardrails an Azure state speaks about. */
export interface AgreementLookup {
  /** A standard's member, by the initiative's name (GUID, lowercase) and the member's reference id (any case). */
  memberOf(initiativeName: string, referenceId: string): string | undefined;
  /** Curated guardrails built on the built-in definition of that name (GUID, lowercase). */
  guardrailsOfDefinition(definitionName: string): readonly string[];
}

export type AzureVerdict = 'compliant' | 'nonCompliant' | 'exempt' | 'unknown';
export type AgreementKind = 'agree' | 'differ' | 'azureOnly' | 'rampartOnly';

export interface AgreementRow {
  readonly guardrailId: string;
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly azure: AzureVerdict | null;
  readonly rampart: RampartVerdictInput['state'] | null;
  readonly kind: AgreementKind;
}

export interface GuardrailAgreement {
  readonly guardrailId: string;
  readonly agree: number;
  readonly differ: number;
  readonly azureOnly: number;
  readonly rampartOnly: number;
  /** agree / (agree + differ), 0..1; null when no resource was judged by both. */
  readonly rate: number | null;
}

export interface AzureAgreement {
  /** Differences first (differ, then only one side), then by guardrail and resource. */
  readonly rows: readonly AgreementRow[];
  readonly guardrails: readonly GuardrailAgreement[];
  readonly totals: Omit<GuardrailAgreement, 'guardrailId'>;
  /** Azure states that name no guardrail Rampart has (a custom definition, an initiative that is not a standard). */
  readonly notComparable: number;
}

export const azureVerdictOf = (complianceState: string): AzureVerdict => {
  const s = complianceState.toLowerCase();
  return s === 'compliant' ? 'compliant' : s === 'noncompliant' ? 'nonCompliant' : s === 'exempt' ? 'exempt' : 'unknown';
};

/** A resource's verdict across the assignments evaluating one guardrail: the worst. */
const RANK: Record<RampartVerdictInput['state'], number> = { nonCompliant: 3, error: 2, compliant: 1, exempt: 0 };

const sameVerdict = (azure: AzureVerdict, rampart: RampartVerdictInput['state']): boolean =>
  (azure === 'compliant' && rampart === 'compliant') || (azure === 'nonCompliant' && rampart === 'nonCompliant') || (azure === 'exempt' && rampart === 'exempt');

const KIND_ORDER: Record<AgreementKind, number> = { differ: 0, azureOnly: 1, rampartOnly: 2, agree: 3 };

export const azureAgreement = (azureStates: Iterable<AzureVerdictInput>, rampartVerdicts: Iterable<RampartVerdictInput>, lookup: AgreementLookup): AzureAgreement => {
  // Azure's verdict per (guardrail, resource); several assignments of one definition: the worst.
  const azure = new Map<string, { guardrailId: string; resourceKey: string; resourceId: string; verdict: AzureVerdict }>();
  const AZURE_RANK: Record<AzureVerdict, number> = { nonCompliant: 3, unknown: 2, compliant: 1, exempt: 0 };
  let notComparable = 0;
  for (const s of azureStates) {
    const member = s.policySetDefinitionName && s.policyDefinitionReferenceId ? lookup.memberOf(s.policySetDefinitionName, s.policyDefinitionReferenceId) : undefined;
    const guardrailIds = member ? [member] : lookup.guardrailsOfDefinition(s.policyDefinitionName);
    if (guardrailIds.length === 0) {
      notComparable++;
      continue;
    }
    const verdict = azureVerdictOf(s.complianceState);
    for (const guardrailId of guardrailIds) {
      const key = `${guardrailId}\n${s.resourceKey}`;
      const seen = azure.get(key);
      if (!seen || AZURE_RANK[verdict] > AZURE_RANK[seen.verdict]) azure.set(key, { guardrailId, resourceKey: s.resourceKey, resourceId: s.resourceId, verdict });
    }
  }
  const rampart = new Map<string, RampartVerdictInput>();
  for (const v of rampartVerdicts) {
    const key = `${v.guardrailId}\n${v.resourceKey}`;
    const seen = rampart.get(key);
    if (!seen || RANK[v.state] > RANK[seen.state]) rampart.set(key, v);
  }
  // Only guardrails Azure evaluates in this tenant are compared: the others are not assigned there.
  const azureGuardrails = new Set([...azure.values()].map((a) => a.guardrailId));
  const rows: AgreementRow[] = [];
  for (const [key, a] of azure) {
    const r = rampart.get(key);
    rows.push({ guardrailId: a.guardrailId, resourceKey: a.resourceKey, resourceId: a.resourceId, azure: a.verdict, rampart: r?.state ?? null, kind: !r ? 'azureOnly' : sameVerdict(a.verdict, r.state) ? 'agree' : 'differ' });
  }
  for (const [key, r] of rampart) {
    if (azure.has(key) || !azureGuardrails.has(r.guardrailId)) continue;
    rows.push({ guardrailId: r.guardrailId, resourceKey: r.resourceKey, resourceId: r.resourceId, azure: null, rampart: r.state, kind: 'rampartOnly' });
  }
  rows.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || (x.guardrailId < y.guardrailId ? -1 : x.guardrailId > y.guardrailId ? 1 : x.resourceKey < y.resourceKey ? -1 : 1));

  const tally = (list: readonly AgreementRow[]) => {
    const count = (kind: AgreementKind) => list.filter((r) => r.kind === kind).length;
    const agree = count('agree');
    const differ = count('differ');
    return { agree, differ, azureOnly: count('azureOnly'), rampartOnly: count('rampartOnly'), rate: agree + differ === 0 ? null : agree / (agree + differ) };
  };
  const byGuardrail = new Map<string, AgreementRow[]>();
  for (const row of rows) {
    const list = byGuardrail.get(row.guardrailId);
    if (list) list.push(row);
    else byGuardrail.set(row.guardrailId, [row]);
  }
  const guardrails = [...byGuardrail]
    .map(([guardrailId, list]) => ({ guardrailId, ...tally(list) }))
    .sort((a, b) => b.differ - a.differ || (a.guardrailId < b.guardrailId ? -1 : 1));
  return { rows, guardrails, totals: tally(rows), notComparable };
};

/** The lookup over a catalog: Azure's standards by initiative, curated guardrails by the built-in they are built on. */
export const agreementLookup = (catalog: Catalog): AgreementLookup => {
  const standardOf = new Map((catalog.standards?.list() ?? []).map((s) => [s.initiativeName.toLowerCase(), s.id]));
  const members = new Map<string, Map<string, string>>();
  let byDefinition: Map<string, string[]> | undefined;
  return {
    memberOf(initiativeName, referenceId) {
      const standardId = standardOf.get(initiativeName.toLowerCase());
      if (!standardId) return undefined;
      let refs = members.get(standardId);
      if (!refs) members.set(standardId, (refs = new Map((catalog.standards?.get(standardId)?.members ?? []).map((m) => [m.referenceId.toLowerCase(), m.guardrailId]))));
      return refs.get(referenceId.toLowerCase());
    },
    guardrailsOfDefinition(definitionName) {
      if (!byDefinition) {
        byDefinition = new Map();
        for (const [id, compiled] of catalog.guardrails) {
          const name = (compiled.guardrail.definition as { name?: unknown } | null)?.name;
          if (typeof name !== 'string') continue;
          const list = byDefinition.get(name.toLowerCase()) ?? [];
          list.push(id);
          byDefinition.set(name.toLowerCase(), list);
        }
      }
      return byDefinition.get(definitionName.toLowerCase()) ?? [];
    },
  };
};
