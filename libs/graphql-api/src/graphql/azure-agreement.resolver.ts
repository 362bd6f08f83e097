// Agreement with Azure over GraphQL: Azure Policy's own verdicts for a tenant, read from Resource
// Graph through its cloud connections when asked, beside Rampart's. For those who manage the
// tenant's cloud connections (each ask calls the customer's Azure).
import { Inject } from '@nestjs/common';
import { Args, Field, Float, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { builtInCatalog } from '@rampart/guardrails';
import { NoCloudConnectionError, tenantAzureAgreement, type TenantAzureAgreement } from '@rampart/platform';
import { Authorize, InheritsAuthorization, TenantOwned } from '../authorization/rules';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { badInput } from './inputs';

/** How many rows an agreement lists (its counts have them all). */
export const MAX_AGREEMENT_ROWS = 500;
const KINDS = ['differ', 'azureOnly', 'rampartOnly', 'agree'] as const;

@ObjectType()
@InheritsAuthorization()
export class AgreementCountsType {
  @Field(() => Int) agree!: number;
  @Field(() => Int, { description: 'Both judged the resource, with different verdicts (an evaluation error counts as different).' }) differ!: number;
  @Field(() => Int, { description: 'Azure judged it, Rampart has no verdict (not collected, or not in the assignment scope).' }) azureOnly!: number;
  @Field(() => Int, { description: 'Rampart judged it for a definition Azure evaluates in this tenant, Azure did not.' }) rampartOnly!: number;
  @Field(() => Float, { nullable: true, description: 'agree / (agree + differ).' }) rate!: number | null;
}

@ObjectType()
@InheritsAuthorization()
export class GuardrailAgreementType extends AgreementCountsType {
  @Field(() => ID) guardrailId!: string;
  @Field() title!: string;
}

@ObjectType()
@InheritsAuthorization()
export class AgreementRowType {
  @Field(() => ID) guardrailId!: string;
  @Field(() => ID) resourceId!: string;
  @Field(() => String, { nullable: true, description: 'compliant | nonCompliant | exempt | unknown; null: Azure has no state for it.' }) azure!: string | null;
  @Field(() => String, { nullable: true, description: 'compliant | nonCompliant | exempt | error; null: Rampart has no verdict.' }) rampart!: string | null;
  @Field({ description: 'agree | differ | azureOnly | rampartOnly' }) kind!: string;
}

@ObjectType()
@InheritsAuthorization()
export class AgreementConnectionType {
  @Field(() => ID) connectionId!: string;
  @Field(() => [String]) subscriptions!: string[];
  @Field(() => Int, { description: 'Policy states Azure returned.' }) states!: number;
}

@ObjectType({ description: "Azure Policy's own verdicts beside Rampart's, per definition and resource, read from Azure when asked." })
@TenantOwned('connections.manage')
export class AzureAgreementType {
  @Field(() => ID) tenantId!: string;
  @Field(() => [AgreementConnectionType], { description: 'Empty: the tenant has no cloud connection, so there was nothing to compare (addCloudConnection).' }) connections!: AgreementConnectionType[];
  @Field(() => AgreementCountsType) totals!: AgreementCountsType;
  @Field(() => [GuardrailAgreementType], { description: 'Most differences first.' }) guardrails!: GuardrailAgreementType[];
  @Field(() => [AgreementRowType], { description: `Differences first; at most ${MAX_AGREEMENT_ROWS}.` }) rows!: AgreementRowType[];
  @Field(() => Int, { description: 'Azure states naming no guardrail Rampart has (a custom definition, an initiative that is not a standard).' }) notComparable!: number;
  @Field(() => Int, { description: 'Rows Resource Graph answered without a resource, definition or state.' }) malformed!: number;
  @Field(() => [String], { description: 'Subscriptions (or management groups) Azure refused, with why: their states are missing.' }) failures!: string[];
}

export const toAgreement = (a: TenantAzureAgreement, kind?: string): AzureAgreementType => {
  const catalog = builtInCatalog();
  const title = (id: string) => catalog.guardrails.get(id)?.guardrail.title ?? id;
  return {
    tenantId: a.tenantId,
    connections: a.connections.map((c) => ({ ...c, subscriptions: [...c.subscriptions] })),
    totals: { ...a.totals },
    guardrails: a.guardrails.map((g) => ({ ...g, title: title(g.guardrailId) })),
    rows: a.rows
      .filter((r) => !kind || r.kind === kind)
      .slice(0, MAX_AGREEMENT_ROWS)
      .map((r) => ({ guardrailId: r.guardrailId, resourceId: r.resourceId, azure: r.azure, rampart: r.rampart, kind: r.kind })),
    notComparable: a.notComparable,
    malformed: a.malformed,
    failures: a.failures.map((f) => `${f.subscriptionId}: ${f.error}`),
  };
};

const EMPTY: Omit<AzureAgreementType, 'tenantId'> = { connections: [], totals: { agree: 0, differ: 0, azureOnly: 0, rampartOnly: 0, rate: null }, guardrails: [], rows: [], notComparable: 0, malformed: 0, failures: [] };

@Resolver()
export class AzureAgreementResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => AzureAgreementType, {
    description:
      "Where Azure Policy's own compliance states (Resource Graph policyresources, read now through the tenant's cloud connections) and Rampart's verdicts agree and differ, per definition and resource. Reads Azure; records nothing.",
  })
  @Authorize({ kind: 'tenant', permission: 'connections.manage', tenantArg: 'tenantId' })
  async azureAgreement(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('kind', { nullable: true, description: `Only rows of this kind: ${KINDS.join(' | ')}.` }) kind?: string,
  ): Promise<AzureAgreementType> {
    if (kind && !(KINDS as readonly string[]).includes(kind)) throw badInput(`kind is one of ${KINDS.join(', ')}`);
    try {
      return toAgreement(await tenantAzureAgreement(this.runtime.stores, tenantId, this.runtime.resourceGraph), kind);
    } catch (error) {
      // nothing to compare with: an empty report, which says why (no connection read)
      if (error instanceof NoCloudConnectionError) return { ...EMPTY, tenantId };
      throw error;
    }
  }
}
