// Proof of coverage as GraphQL shows it: the summary beside a score, and the tenant's coverage with
// the resources not evaluated within its interval.
import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { Coverage, CoverageSummary } from '@rampart/guardrails';
import { InheritsAuthorization, TenantOwned } from '../authorization/rules';

/** How many not-evaluated resources a coverage answer lists (its count has them all). */
export const MAX_NOT_EVALUATED_LISTED = 200;

@ObjectType({ description: 'How much of the evidence behind verdicts is fresh: resources whose configuration was collected and evaluated within the interval.' })
@InheritsAuthorization()
export class CoverageSummaryType {
  @Field(() => Int) resources!: number;
  @Field(() => Int, { description: 'Collected and evaluated within the interval.' }) evaluated!: number;
  @Field(() => Int, { description: 'Not within the interval: their verdicts count as not evaluable, never as passing.' }) notEvaluated!: number;
  @Field(() => Float, { nullable: true, description: 'evaluated / resources.' }) score!: number | null;
  @Field(() => String, { nullable: true }) oldestEvidenceAt!: string | null;
  @Field(() => Int, { description: "The tenant's interval (setCoveragePolicy)." }) maxEvidenceAgeHours!: number;
  @Field(() => String, { nullable: true, description: 'The evaluator had handled everything recorded before this instant; null: not behind.' }) evaluatedThrough!: string | null;
}

@ObjectType({ description: 'A resource whose evidence is older than the interval.' })
@InheritsAuthorization()
export class ResourceCoverageType {
  @Field(() => ID) resourceId!: string;
  @Field() resourceType!: string;
  @Field({ description: 'Its last change, or the last complete snapshot of a scope holding it.' }) lastCollectedAt!: string;
  @Field({ description: 'What its verdicts rest on.' }) evaluatedAt!: string;
}

@ObjectType({ description: "A tenant's proof of coverage: now, or as of an instant (rebuilt from its events)." })
@TenantOwned('tenants.read')
export class CoverageType extends CoverageSummaryType {
  @Field(() => ID) tenantId!: string;
  @Field({ description: 'The instant it is for.' }) at!: string;
  @Field(() => [ResourceCoverageType], { description: `Resources not evaluated within the interval, oldest evidence first; at most ${MAX_NOT_EVALUATED_LISTED} (notEvaluated counts them all).` })
  notEvaluatedResources!: ResourceCoverageType[];
}

export const toCoverageSummary = (c: CoverageSummary & Pick<Coverage, 'maxEvidenceAgeHours' | 'evaluatedThrough'>): CoverageSummaryType => ({
  resources: c.resources,
  evaluated: c.evaluated,
  notEvaluated: c.notEvaluated,
  score: c.score,
  oldestEvidenceAt: c.oldestEvidenceAt,
  maxEvidenceAgeHours: c.maxEvidenceAgeHours,
  evaluatedThrough: c.evaluatedThrough,
});

export const toCoverage = (tenantId: string, c: Coverage): CoverageType => ({
  tenantId,
  at: c.at,
  ...toCoverageSummary(c),
  notEvaluatedResources: c.perResource
    .filter((r) => !r.evaluated)
    .slice(0, MAX_NOT_EVALUATED_LISTED)
    .map((r) => ({ resourceId: r.resourceId, resourceType: r.resourceType, lastCollectedAt: r.lastCollectedAt, evaluatedAt: r.evaluatedAt })),
});
