// Guardrails over GraphQL: the catalog, a tenant's policy (baselines, exemptions, reporting),
// findings, compliance scores, and each resource's compliance. Reads come from read models; writes
// go through guardrails' use case (`changeTenantGuardrails`), which asks tenancy's standing rule first.
import { Inject } from '@nestjs/common';
import { Args, Context, createUnionType, Field, Float, ID, InputType, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { humanOf, type Permission } from '@rampart/auth';
import type { RecordedEvent } from '@rampart/event-sourcing';
import {
  builtInCatalog,
  DEFAULT_MAX_EVIDENCE_AGE_HOURS,
  DEFAULT_REPORTING_POLICY,
  postureStreamId,
  SEVERITIES,
  type ComplianceEntry,
  type ComplianceStateChanged,
  type FindingEntry,
  type Severity,
  type StandardSummary,
  type Tally,
  type TenantGuardrailsCommand,
  type TenantGuardrailsEntry,
} from '@rampart/guardrails';
import { catalogWithLibrary, changeTenantGuardrails, libraryBaselines, tenantStandardCompliance, type TenantStandardCompliance } from '@rampart/guardrails-application';
import { setIncidentPolicy } from '@rampart/incidents-application';
import { coverageAsOf, standardComplianceAsOf, tenantCoverage, tenantScoreNow } from '@rampart/platform';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import { tenantStanding } from '@rampart/tenancy-application';
import { Authorize, InheritsAuthorization, TenantOwned } from '../authorization/rules';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { connectionOf, decodeCursor, pageSize, toConnection } from './connection';
import { CoverageSummaryType, CoverageType, toCoverage, toCoverageSummary } from './coverage';
import { EvidenceFileType, evidencePath } from './evidence';
import { ResourceType } from './inventory.resolver';
import { badInput, instantArg, jsonArg } from './inputs';
import { Rejection } from './types';

/** How many failing resources a control lists (its count has them all). */
export const MAX_FAILING_RESOURCES = 100;

@ObjectType()
@InheritsAuthorization()
export class ControlRefType {
  @Field({ description: 'MCSB | CIS-Azure | ISO27001' }) framework!: string;
  @Field() control!: string;
}

@ObjectType({ description: 'An Azure Policy definition with Rampart metadata.' })
@InheritsAuthorization()
export class GuardrailType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field({ description: 'low | medium | high | critical' }) severity!: string;
  @Field(() => [ControlRefType]) controls!: ControlRefType[];
  @Field() remediation!: string;
  @Field() playbookId!: string;
  @Field({ description: 'Where the Azure Policy definition comes from.' }) source!: string;
  @Field({ description: 'The Azure Policy definition (JSON), unchanged.' }) definition!: string;
}

@ObjectType()
@InheritsAuthorization()
export class BaselineType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field() description!: string;
  @Field(() => [ID]) guardrailIds!: string[];
  @Field(() => Int, { nullable: true, description: "For the provider's library: the version in force now (assigning this id follows the latest; `<id>@<n>` pins version n)." })
  version!: number | null;
  @Field(() => [String], { nullable: true, description: 'For an initiative: the parameters an assignment may set (initiativeParametersJson).' }) parameters!: string[] | null;
}

@ObjectType()
@InheritsAuthorization()
export class BaselineAssignmentType {
  @Field(() => ID) assignmentId!: string;
  @Field(() => ID, { description: 'What it evaluates; for a library definition or initiative, the version (`lib-definition:<name>@<n>`, `lib-initiative:<name>@<n>`).' }) baselineId!: string;
  @Field(() => ID, { nullable: true, description: 'Set when it follows the latest version of a library definition or initiative (`lib-definition:<name>`): new versions are adopted.' })
  follows?: string | null;
  @Field() scope!: string;
  @Field({ description: 'Parameter values per guardrail (JSON).' }) parameters!: string;
  @Field({ description: "For an initiative: its parameters' values (JSON object; {} when none)." }) initiativeParameters!: string;
  @Field(() => ID, { nullable: true, description: 'Set when the tenant holds it as a member of this tenant group: it comes and goes with the membership.' }) group?: string | null;
  @Field() assignedAt!: string;
}

@ObjectType()
@InheritsAuthorization()
export class ExemptionType {
  @Field(() => ID) exemptionId!: string;
  @Field(() => ID) guardrailId!: string;
  @Field() scope!: string;
  @Field({ description: 'waiver | mitigated' }) category!: string;
  @Field() justification!: string;
  @Field({ description: 'requested | active | revoked | expired' }) status!: string;
  @Field() requestedBy!: string;
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field() expiresAt!: string;
  @Field() requestedAt!: string;
}

@ObjectType()
@InheritsAuthorization()
export class ReportingPolicyType {
  @Field(() => [String], {
    deprecationReason: "Which findings open an incident is the incident policy's choice: read incidentPolicy's findingSeverities. This is what setReportingPolicy last recorded.",
  })
  incidentSeverities!: string[];
  @Field(() => [String]) notifySeverities!: string[];
}

@ObjectType({ description: "A tenant's guardrail policy." })
@TenantOwned('tenants.read')
export class TenantGuardrailsType {
  @Field(() => ID) tenantId!: string;
  @Field(() => [BaselineAssignmentType]) assignments!: BaselineAssignmentType[];
  @Field(() => [ExemptionType]) exemptions!: ExemptionType[];
  @Field(() => ReportingPolicyType) reporting!: ReportingPolicyType;
  @Field({ description: 'Whether an attestation holds only once a second person approves it (setAttestationPolicy).' }) attestationApprovalRequired!: boolean;
  @Field(() => Int, { description: 'Evidence older than this many hours makes a resource not evaluated (setCoveragePolicy).' }) maxEvidenceAgeHours!: number;
  @Field(() => Int) revision!: number;
}

@ObjectType({ description: 'A guardrail that failed on a resource: open until the resource complies, is exempted, or is gone.' })
@TenantOwned('tenants.read')
export class FindingType {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) findingId!: string;
  @Field({ description: 'open | resolved' }) status!: string;
  @Field() severity!: string;
  @Field(() => ID) guardrailId!: string;
  @Field() title!: string;
  @Field(() => ID) resourceId!: string;
  @Field() resourceType!: string;
  @Field({ description: 'Why: the deciding conditions of the rule.' }) reason!: string;
  @Field() playbookId!: string;
  /** What a finding recorded before the incidents context judged this says; the field is resolved by incidents (FindingIncidentFieldsResolver). */
  raiseIncident?: boolean;
  @Field({ description: "Found when a staged rollout's baseline arrived: the resource broke it before it was enforced, so it opens no incident (unless the rollout asked)." })
  existing!: boolean;
  @Field() notify!: boolean;
  @Field() openedAt!: string;
  @Field(() => String, { nullable: true, description: 'The inventory event that caused it (type and position).' }) causedBy!: string | null;
  @Field(() => String, { nullable: true }) resolvedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'compliant | exempted | resource-removed | unassigned | not-applicable' }) resolution!: string | null;
}

export const FindingConnection = connectionOf(FindingType, 'Finding');
export type FindingConnection = InstanceType<typeof FindingConnection>;

@ObjectType({ description: 'Counts of evaluated (resource, guardrail) pairs. score = compliant / (compliant + nonCompliant + error); exempt pairs are outside it.' })
@InheritsAuthorization()
export class TallyType {
  @Field(() => Int) compliant!: number;
  @Field(() => Int) nonCompliant!: number;
  @Field(() => Int) error!: number;
  @Field(() => Int) exempt!: number;
  @Field(() => Float, { nullable: true }) score!: number | null;
}

@ObjectType()
@InheritsAuthorization()
export class BaselineScoreType extends TallyType {
  @Field(() => ID) baselineId!: string;
}

@ObjectType()
@InheritsAuthorization()
export class ControlScoreType extends TallyType {
  @Field() control!: string;
}

@ObjectType()
@InheritsAuthorization()
export class FrameworkScoreType extends TallyType {
  @Field() framework!: string;
  @Field(() => [ControlScoreType]) controls!: ControlScoreType[];
}

@ObjectType({ description: "A tenant's compliance now: overall, per baseline, per framework and control." })
@TenantOwned('tenants.read')
export class ComplianceScoreType {
  @Field(() => ID) tenantId!: string;
  @Field(() => TallyType) overall!: Tally;
  @Field(() => [BaselineScoreType]) baselines!: BaselineScoreType[];
  @Field(() => [FrameworkScoreType]) frameworks!: FrameworkScoreType[];
  @Field(() => CoverageSummaryType, { description: "Proof of coverage beside the score: resources not evaluated within the tenant's interval count as not evaluable in it." })
  coverage!: CoverageSummaryType;
}

@ObjectType({ description: 'What one guardrail says about one resource.' })
@InheritsAuthorization()
export class ResourceComplianceType {
  @Field(() => ID) assignmentId!: string;
  @Field(() => ID) baselineId!: string;
  @Field(() => ID) guardrailId!: string;
  @Field({ description: 'compliant | nonCompliant | exempt | error' }) state!: string;
  @Field() since!: string;
  @Field() reason!: string;
  @Field(() => String, { nullable: true }) exemptionId!: string | null;
}

@ObjectType({ description: 'A change of what one guardrail says about one resource.' })
@InheritsAuthorization()
export class ComplianceChangeType {
  @Field() recordedAt!: string;
  @Field(() => ID) assignmentId!: string;
  @Field(() => ID) baselineId!: string;
  @Field(() => ID) guardrailId!: string;
  @Field(() => String, { nullable: true, description: 'The state before (null: first evaluation).' }) from!: string | null;
  @Field({ description: 'compliant | nonCompliant | exempt | error | notApplicable' }) to!: string;
  @Field() reason!: string;
  @Field(() => String, { nullable: true }) exemptionId!: string | null;
}

@ObjectType({ description: "One of Azure's regulatory standards (a built-in initiative of category Regulatory Compliance, or the Microsoft cloud security benchmark), assignable as a baseline." })
@InheritsAuthorization()
export class StandardSummaryType {
  @Field(() => ID, { description: 'Rampart id, e.g. mcsb, cis-azure-2.0.0, pci-dss-4.0.1: the baselineId to assign.' }) id!: string;
  @Field() title!: string;
  @Field() description!: string;
  @Field({ description: "The initiative's name (a GUID): the reference to Azure's built-in." }) initiativeName!: string;
  @Field({ description: '/providers/Microsoft.Authorization/policySetDefinitions/<guid>' }) initiativeId!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field() category!: string;
  @Field(() => Int, { description: 'Controls: the initiative\'s policy definition groups.' }) controlCount!: number;
  @Field(() => Int, { description: 'Member policy definitions.' }) definitionCount!: number;
}

@ObjectType({ description: 'A control of a standard: a policy definition group of its initiative.' })
@InheritsAuthorization()
export class StandardControlType {
  @Field({ description: 'The control id in the standard, e.g. NS-1, 3.1, AC-2(1).' }) id!: string;
  @Field({ description: "Azure's group name, e.g. CIS_Azure_2.0.0_3.1." }) group!: string;
  @Field() title!: string;
  @Field({ description: "curated (Rampart's table) | group (Azure's group) | managed-control | definitions (what its members check) | id" }) titleFrom!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true }) domain!: string | null;
  @Field(() => [ID], { description: "The members' guardrail ids." }) memberIds!: string[];
}

@ObjectType({ description: "A member of a standard: an Azure Policy definition with the initiative's parameter values, evaluated as a guardrail." })
@InheritsAuthorization()
export class StandardMemberType {
  @Field(() => ID, { description: '<standard>:<policyDefinitionReferenceId>' }) guardrailId!: string;
  @Field() referenceId!: string;
  @Field({ description: "The definition's name (GUID)." }) definitionName!: string;
  @Field() displayName!: string;
  @Field() category!: string;
  @Field({ description: 'automated (evaluated on resources) | manual (needs an attestation) | data-plane (objects no ARM inventory holds)' }) kind!: string;
  @Field(() => String, { nullable: true, description: 'The effect the standard assigns by default.' }) effect!: string | null;
  @Field({ description: "Parameter values from the initiative's defaults (JSON)." }) parametersJson!: string;
  @Field(() => [String]) controlIds!: string[];
  @Field({ description: 'Automated and compiled: its results count.' }) evaluable!: boolean;
  @Field(() => String, { nullable: true, description: 'Why the engine cannot evaluate it (unknown-alias …); it then counts as not evaluable, never as passed.' }) refusal!: string | null;
  @Field(() => String, { nullable: true }) severity!: string | null;
  @Field(() => String, { nullable: true, description: 'The curated guardrail whose metadata it keeps, if any.' }) curatedGuardrailId!: string | null;
}

@ObjectType({ description: 'A standard with its controls and members; reading it compiles its definitions.' })
@InheritsAuthorization()
export class StandardType extends StandardSummaryType {
  @Field(() => [StandardControlType]) controls!: StandardControlType[];
  @Field(() => [StandardMemberType]) members!: StandardMemberType[];
  @Field({ description: "The initiative's parameters with their defaults (JSON): what initiativeParametersJson can set." }) parametersJson!: string;
}

@ObjectType()
@InheritsAuthorization()
export class ResourceCountsType {
  @Field(() => Int) passed!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) notApplicable!: number;
  @Field(() => Int) notEvaluable!: number;
  @Field(() => Int) exempt!: number;
}

@ObjectType()
@InheritsAuthorization()
export class ControlStateCountsType {
  @Field(() => Int) failed!: number;
  @Field(() => Int) passed!: number;
  @Field(() => Int, { description: 'No rule checks them, and an attestation holds.' }) attested!: number;
  @Field(() => Int) manual!: number;
  @Field(() => Int) notApplicable!: number;
  @Field(() => Int) notEvaluable!: number;
}

@ObjectType()
@InheritsAuthorization()
export class ControlDefinitionCountsType {
  @Field(() => Int) total!: number;
  @Field(() => Int, { description: 'Meant to be evaluated on resources.' }) automated!: number;
  @Field(() => Int, { description: 'Automated but refused by the engine: not evaluable.' }) refused!: number;
  @Field(() => Int) manual!: number;
  @Field(() => Int) dataPlane!: number;
}

@ObjectType({ description: 'What one member of a control says, over the resources it applies to.' })
@InheritsAuthorization()
export class ControlMemberComplianceType {
  @Field(() => ID) guardrailId!: string;
  @Field() displayName!: string;
  @Field() kind!: string;
  @Field() evaluable!: boolean;
  @Field(() => String, { nullable: true }) refusal!: string | null;
  @Field(() => Int) compliant!: number;
  @Field(() => Int) nonCompliant!: number;
  @Field(() => Int) error!: number;
  @Field(() => Int) exempt!: number;
}

@ObjectType()
@InheritsAuthorization()
export class ControlFailureType {
  @Field(() => ID) guardrailId!: string;
  @Field() title!: string;
  @Field({ description: "The rule's deciding conditions." }) reason!: string;
}

@ObjectType({ description: 'A resource that fails a control, with the members it fails.' })
@InheritsAuthorization()
export class FailingResourceType {
  @Field(() => ID) resourceId!: string;
  @Field() resourceType!: string;
  @Field(() => [ControlFailureType]) failures!: ControlFailureType[];
}

@ObjectType({ description: 'The attestation that holds for a control: who stated it is met, until when, on which evidence.' })
@InheritsAuthorization()
export class ControlAttestationType {
  @Field(() => ID) attestationId!: string;
  @Field() statement!: string;
  @Field() attestedBy!: string;
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field() validUntil!: string;
  @Field(() => [EvidenceFileType]) evidence!: EvidenceFileType[];
}

@ObjectType({ description: 'A control of a standard for a tenant: its state and resource counts, as Defender for Cloud shows them.' })
@InheritsAuthorization()
export class ControlComplianceType {
  @Field() controlId!: string;
  @Field() title!: string;
  @Field() titleFrom!: string;
  @Field(() => String, { nullable: true }) domain!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field({
    description:
      'failed (a resource fails a member) | passed (evaluated, none fails) | attested (no definition of it can be evaluated, and an attestation holds: met until it ends) | manual (all its definitions are manual or data-plane and no attestation holds: needs one, never passed) | notEvaluable (a member the engine refuses, or an evaluation error) | notApplicable (nothing applies)',
  })
  state!: string;
  @Field(() => ControlAttestationType, { nullable: true, description: 'The attestation holding for it (where rules also check it, they decide its state; the attestation covers the rest).' })
  attestation!: ControlAttestationType | null;
  @Field(() => ResourceCountsType) resources!: ResourceCountsType;
  @Field(() => ControlDefinitionCountsType) definitions!: ControlDefinitionCountsType;
  @Field(() => [ControlMemberComplianceType]) members!: ControlMemberComplianceType[];
  @Field(() => [FailingResourceType], { description: `Resources that fail it, worst first; at most ${MAX_FAILING_RESOURCES} (resources.failed counts them all).` })
  failingResources!: FailingResourceType[];
}

@ObjectType()
@InheritsAuthorization()
export class BaselineAssignmentRefType {
  @Field(() => ID) assignmentId!: string;
  @Field() scope!: string;
}

@ObjectType({ description: "A tenant's compliance with a standard, per control: now, or as of an instant (rebuilt from its events)." })
@TenantOwned('tenants.read')
export class StandardComplianceType {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) standardId!: string;
  @Field(() => StandardSummaryType) standard!: StandardSummaryType;
  @Field(() => String, { nullable: true, description: 'Null: now (the read models).' }) asOf!: string | null;
  @Field({ description: 'Whether the tenant had it assigned (if not, nothing was evaluated).' }) assigned!: boolean;
  @Field(() => [BaselineAssignmentRefType]) assignments!: BaselineAssignmentRefType[];
  @Field(() => Float, { nullable: true, description: '(passed + attested) / (passed + attested + failed + notEvaluable) controls.' }) score!: number | null;
  @Field(() => ControlStateCountsType) controlStates!: ControlStateCountsType;
  @Field(() => Int, { description: "Resources in the assignments' scopes." }) resourcesInScope!: number;
  @Field(() => CoverageSummaryType, { nullable: true, description: "Proof of coverage over the resources in scope (null when not assigned): those not evaluated within the tenant's interval count as not evaluable, never passed." })
  coverage!: CoverageSummaryType | null;
  @Field(() => [ControlComplianceType]) controls!: ControlComplianceType[];
}


@ObjectType({ description: 'A change to a tenant guardrail policy was recorded.' })
@InheritsAuthorization()
export class GuardrailPolicyChanged {
  @Field(() => ID) tenantId!: string;
  @Field(() => Int, { description: 'The policy stream revision after the change.' }) revision!: number;
}

export const GuardrailPolicyResult = createUnionType({
  name: 'GuardrailPolicyResult',
  types: () => [GuardrailPolicyChanged, Rejection] as const,
  resolveType: (value: object) => ('code' in value ? Rejection : GuardrailPolicyChanged),
});

@InputType()
export class AssignBaselineInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) assignmentId!: string;
  @Field(() => ID) baselineId!: string;
  @Field({ nullable: true, description: '* (default), /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>' }) scope?: string;
  @Field({ nullable: true, description: 'Parameter values per guardrail id, as JSON: {"storage-weak-tls": {"minimumTlsVersion": "TLS1_2"}}' })
  parametersJson?: string;
  @Field({
    nullable: true,
    description:
      'For a standard or a library initiative: values of its parameters, as JSON ({"effect-<guid>": "Disabled"}); each member taking its value from one gets it, as in Azure, in every version the assignment evaluates. Per-guardrail parametersJson wins.',
  })
  initiativeParametersJson?: string;
}

@InputType()
export class UnassignBaselineInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) assignmentId!: string;
}

@InputType()
export class SetLibraryVersionInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID, { description: 'An assignment of a library definition (baselineId lib-definition:<name>).' }) assignmentId!: string;
  @Field(() => Int, { nullable: true, description: 'Evaluate this version from now on (a rollback); null: follow the latest version again.' }) version?: number | null;
}

@InputType()
export class RequestExemptionInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) exemptionId!: string;
  @Field(() => ID) guardrailId!: string;
  @Field({ description: 'A resource id, /subscriptions/<id>[/resourceGroups/<rg>], or *' }) scope!: string;
  @Field({ description: 'waiver (risk accepted) | mitigated (handled another way)' }) category!: string;
  @Field() justification!: string;
  @Field({ description: 'ISO-8601, at most a year ahead.' }) expiresAt!: string;
}

@InputType()
export class ExemptionRefInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) exemptionId!: string;
}

@InputType()
export class RevokeExemptionInput extends ExemptionRefInput {
  @Field() reason!: string;
}

@InputType()
export class SetReportingPolicyInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Severities whose findings raise an incident: also sets the incident policy\'s findingSeverities. Left out, both stay as they are.',
    deprecationReason: "Which findings open an incident is the incident policy's choice: use setIncidentPolicy's findingSeverities.",
  })
  incidentSeverities?: string[];
  @Field(() => [String], { description: 'Severities whose findings send a notification.' }) notifySeverities!: string[];
}

@InputType()
export class SetCoveragePolicyInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => Int, { description: 'Hours, 1 to 2160 (90 days); the default is 168 (a week).' }) maxEvidenceAgeHours!: number;
}

@InputType()
export class FindingFilter {
  @Field({ nullable: true, description: 'open | resolved' }) status?: string;
  @Field({ nullable: true }) severity?: string;
  @Field({ nullable: true }) guardrailId?: string;
}

export const toFinding = (doc: FindingEntry): FindingType => ({
  ...doc,
  existing: doc.existing ?? false,
  causedBy: doc.causedBy ? `${doc.causedBy.type} at ${doc.causedBy.position}` : null,
});

export const toPolicy = (doc: TenantGuardrailsEntry): TenantGuardrailsType => ({
  tenantId: doc.tenantId,
  assignments: doc.assignments.map((a) => ({ ...a, follows: a.follows ?? null, group: a.group ?? null, parameters: JSON.stringify(a.parameters), initiativeParameters: JSON.stringify(a.initiativeParameters ?? {}) })),
  exemptions: doc.exemptions.map((e) => ({ ...e })),
  reporting: { incidentSeverities: [...doc.reporting.incidentSeverities], notifySeverities: [...doc.reporting.notifySeverities] },
  attestationApprovalRequired: doc.attestationApprovalRequired ?? false,
  maxEvidenceAgeHours: doc.maxEvidenceAgeHours ?? DEFAULT_MAX_EVIDENCE_AGE_HOURS,
  revision: doc.revision,
});

const toSummary = (s: StandardSummary): StandardSummaryType => ({ ...s });

/** A standard's compliance for GraphQL; `controlId` keeps one control (a drill-down). */
export const toStandardCompliance = (r: TenantStandardCompliance, controlId?: string): StandardComplianceType => {
  const catalog = builtInCatalog();
  const titleOf = (guardrailId: string) => catalog.guardrails.get(guardrailId)?.guardrail.title ?? guardrailId;
  return {
    tenantId: r.tenantId,
    standardId: r.standard.id,
    standard: toSummary(r.standard),
    asOf: r.asOf,
    assigned: r.assignments.length > 0,
    assignments: r.assignments.map((a) => ({ ...a })),
    score: r.score,
    controlStates: { ...r.states },
    resourcesInScope: r.resourcesInScope,
    coverage: r.coverage ? toCoverageSummary(r.coverage) : null,
    controls: r.controls
      .filter((c) => controlId === undefined || c.control.id === controlId)
      .map((c) => ({
        controlId: c.control.id,
        title: c.control.title,
        titleFrom: c.control.titleFrom,
        domain: c.control.domain,
        description: c.control.description,
        state: c.state,
        attestation: c.attestation ? { ...c.attestation, evidence: c.attestation.evidence.map((f) => ({ ...f, downloadPath: evidencePath(r.tenantId, f.sha256) })) } : null,
        resources: { ...c.resources },
        definitions: { ...c.definitions },
        members: c.members.map((m) => ({ ...m, refusal: m.refusal ? `${m.refusal.reason}: ${m.refusal.message}` : null })),
        failingResources: c.failing.slice(0, MAX_FAILING_RESOURCES).map((f) => ({
          resourceId: f.resourceId,
          resourceType: f.resourceType,
          failures: f.failures.map((x) => ({ guardrailId: x.guardrailId, title: titleOf(x.guardrailId), reason: x.reason })),
        })),
      })),
  };
};

@Resolver()
export class GuardrailsResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => [GuardrailType], { description: 'The built-in guardrails.' })
  @Authorize({ kind: 'global', permission: 'tenants.read' })
  guardrails(): GuardrailType[] {
    return [...builtInCatalog().guardrails.values()].map(({ guardrail: g }) => ({
      ...g,
      controls: [...g.controls],
      definition: JSON.stringify(g.definition),
    }));
  }

  @Query(() => [BaselineType], {
    description: "The baselines to assign: Rampart's built-in ones, then the provider's library definitions and initiatives, each under the id that follows its latest version.",
  })
  @Authorize({ kind: 'global', permission: 'tenants.read' })
  async baselines(): Promise<BaselineType[]> {
    const builtIn = [...builtInCatalog().baselines.values()].map((b) => ({ ...b, guardrailIds: [...b.guardrailIds], version: null, parameters: b.parameters ? [...b.parameters] : null }));
    const library = (await libraryBaselines(this.runtime.stores.eventStore)).map((b) => ({ ...b, guardrailIds: [...b.guardrailIds], parameters: b.parameters ? [...b.parameters] : null }));
    return [...builtIn, ...library];
  }

  @Query(() => [StandardSummaryType], { description: "Azure's regulatory standards, assignable as baselines (assignBaseline with the standard's id)." })
  @Authorize({ kind: 'global', permission: 'tenants.read' })
  standards(): StandardSummaryType[] {
    return (builtInCatalog().standards?.list() ?? []).map(toSummary);
  }

  @Query(() => StandardType, { nullable: true, description: 'A standard with its controls and members (compiles its definitions on first use). Null: no such standard.' })
  @Authorize({ kind: 'global', permission: 'tenants.read' })
  standard(@Args('id', { type: () => ID }) id: string): StandardType | null {
    const standards = builtInCatalog().standards;
    const compiled = standards?.has(id) ? standards.compiled(id) : undefined;
    if (!compiled) return null;
    const { standard } = compiled;
    return {
      ...toSummary(standard),
      controls: standard.controls.map((c) => ({ ...c, memberIds: [...c.memberIds] })),
      members: standard.members.map((m) => {
        const guardrail = compiled.guardrails.get(m.guardrailId)?.guardrail;
        const refusal = compiled.refused.get(m.guardrailId);
        return {
          guardrailId: m.guardrailId,
          referenceId: m.referenceId,
          definitionName: m.definitionName,
          displayName: m.displayName,
          category: m.category,
          kind: m.kind,
          effect: m.effect,
          parametersJson: JSON.stringify(m.parameters),
          controlIds: [...m.controlIds],
          evaluable: guardrail !== undefined,
          refusal: refusal ? `${refusal.reason}: ${refusal.message}` : null,
          severity: guardrail?.severity ?? null,
          curatedGuardrailId: compiled.curated.get(m.guardrailId) ?? null,
        };
      }),
      parametersJson: JSON.stringify(standard.parameters),
    };
  }

  @Query(() => StandardComplianceType, {
    description:
      "A tenant's compliance with a standard, per control (state, passed / failed / not applicable / not evaluable resources, failing resources): now, or as of an instant, rebuilt from its events.",
  })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async standardCompliance(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('standardId', { type: () => ID }) standardId: string,
    @Args('asOf', { nullable: true, description: 'ISO-8601; absent: now.' }) asOf?: string,
    @Args('controlId', { nullable: true, description: 'Only this control (a drill-down).' }) controlId?: string,
  ): Promise<StandardComplianceType> {
    const at = asOf ? instantArg(asOf, 'asOf') : undefined;
    if (!builtInCatalog().standards?.has(standardId)) throw badInput(`no standard ${standardId}: see the standards query`);
    const result = at
      ? await standardComplianceAsOf(this.runtime.stores, tenantId, standardId, at)
      : await tenantStandardCompliance(this.runtime.stores, tenantId, standardId, READ_MODEL_SCHEMA, await tenantCoverage(this.runtime.stores, tenantId));
    if (!result) throw badInput(`no standard ${standardId}`);
    return toStandardCompliance(result, controlId);
  }

  @Query(() => TenantGuardrailsType, { description: "A tenant's baselines, exemptions and reporting policy." })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async tenantGuardrails(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<TenantGuardrailsType> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: TenantGuardrailsEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".tenant_guardrails WHERE id = $1`,
      [tenantId],
    );
    return rows[0]
      ? toPolicy(rows[0].doc)
      : { tenantId, assignments: [], exemptions: [], reporting: { incidentSeverities: [...DEFAULT_REPORTING_POLICY.incidentSeverities], notifySeverities: [...DEFAULT_REPORTING_POLICY.notifySeverities] }, attestationApprovalRequired: false, maxEvidenceAgeHours: DEFAULT_MAX_EVIDENCE_AGE_HOURS, revision: -1 };
  }

  @Query(() => FindingConnection, { description: "A tenant's findings, newest first." })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async findings(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => FindingFilter, nullable: true }) filter?: FindingFilter,
  ): Promise<FindingConnection> {
    const limit = pageSize(first);
    // Newest first: the cursor is "openedAt|id", compared as a pair.
    const cursor = decodeCursor(after);
    const params: unknown[] = [tenantId, limit + 1];
    let where = 'tenant_id = $1';
    if (cursor) {
      const [openedAt, id] = [cursor.slice(0, cursor.indexOf('|')), cursor.slice(cursor.indexOf('|') + 1)];
      params.push(openedAt, id);
      where += ` AND (doc->>'openedAt', id) < ($${params.length - 1}, $${params.length})`;
    }
    if (filter?.status) {
      if (!['open', 'resolved'].includes(filter.status)) throw badInput('status is open or resolved');
      params.push(filter.status);
      where += ` AND doc->>'status' = $${params.length}`;
    }
    if (filter?.severity) {
      if (!SEVERITIES.includes(filter.severity as Severity)) throw badInput(`severity is one of ${SEVERITIES.join(', ')}`);
      params.push(filter.severity);
      where += ` AND doc->>'severity' = $${params.length}`;
    }
    if (filter?.guardrailId) {
      params.push(filter.guardrailId);
      where += ` AND doc->>'guardrailId' = $${params.length}`;
    }
    const { rows } = await this.runtime.stores.readModels.query<{ id: string; doc: FindingEntry }>(
      `SELECT id, doc FROM "${READ_MODEL_SCHEMA}".findings WHERE ${where} ORDER BY doc->>'openedAt' DESC, id DESC LIMIT $2`,
      params,
    );
    return toConnection(
      rows.map((r) => ({ ...toFinding(r.doc), row: r.id })),
      limit,
      (f) => `${f.openedAt}|${f.row}`,
    );
  }

  @Query(() => ComplianceScoreType, { description: "A tenant's compliance score now, per baseline, framework and control." })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async complianceScore(@Context() ctx: RequestContext, @Args('tenantId', { type: () => ID }) tenantId: string): Promise<ComplianceScoreType> {
    const { coverage, score } = await tenantScoreNow(this.runtime.stores, tenantId, ctx.readSideVersion());
    return {
      tenantId,
      coverage: toCoverageSummary(coverage),
      overall: score.overall,
      baselines: score.baselines.map((b) => ({ ...b })),
      frameworks: score.frameworks.map((f) => ({ ...f, controls: f.controls.map((c) => ({ ...c })) })),
    };
  }

  @Query(() => CoverageType, {
    description:
      "A tenant's proof of coverage: when each resource was last collected and evaluated, and those not within the tenant's interval (reported as not evaluated, never as passing); now, or as of an instant, rebuilt from its events.",
  })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async coverage(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('asOf', { nullable: true, description: 'ISO-8601; absent: now.' }) asOf?: string): Promise<CoverageType> {
    const at = asOf ? instantArg(asOf, 'asOf') : undefined;
    return toCoverage(tenantId, at ? await coverageAsOf(this.runtime.stores, tenantId, at) : await tenantCoverage(this.runtime.stores, tenantId));
  }

  @Mutation(() => GuardrailPolicyResult, {
    description: "How old the evidence behind a verdict may be (hours, 1 to 2160): a resource not collected and evaluated within it is reported as not evaluated, never as passing. FedRAMP 20x asks for 72.",
  })
  @Authorize({ kind: 'tenant', permission: 'guardrails.manage', tenantArg: 'input.tenantId' })
  setCoveragePolicy(@Context() ctx: RequestContext, @Args('input') input: SetCoveragePolicyInput): Promise<typeof GuardrailPolicyResult> {
    return this.change(ctx, 'guardrails.manage', input.tenantId, { kind: 'SetCoveragePolicy', maxEvidenceAgeHours: input.maxEvidenceAgeHours });
  }

  @Mutation(() => GuardrailPolicyResult, { description: 'Assigns a baseline to a tenant or a scope of it; the worker evaluates what it covers.' })
  @Authorize({ kind: 'tenant', permission: 'guardrails.manage', tenantArg: 'input.tenantId' })
  assignBaseline(@Context() ctx: RequestContext, @Args('input') input: AssignBaselineInput): Promise<typeof GuardrailPolicyResult> {
    let parameters: Record<string, Record<string, unknown>> | undefined;
    if (input.parametersJson) {
      parameters = jsonArg(input.parametersJson, 'parametersJson') as typeof parameters;
      if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw badInput('parametersJson must be an object by guardrail id');
    }
    let initiativeParameters: Record<string, unknown> | undefined;
    if (input.initiativeParametersJson) {
      const values = jsonArg(input.initiativeParametersJson, 'initiativeParametersJson');
      if (typeof values !== 'object' || values === null || Array.isArray(values)) throw badInput('initiativeParametersJson must be an object by initiative parameter name');
      initiativeParameters = values as Record<string, unknown>;
    }
    return this.change(ctx, 'guardrails.manage', input.tenantId, {
      kind: 'AssignBaseline',
      assignmentId: input.assignmentId,
      baselineId: input.baselineId,
      scope: input.scope ?? '*',
      parameters,
      initiativeParameters,
    });
  }

  @Mutation(() => GuardrailPolicyResult)
  @Authorize({ kind: 'tenant', permission: 'guardrails.manage', tenantArg: 'input.tenantId' })
  unassignBaseline(@Context() ctx: RequestContext, @Args('input') input: UnassignBaselineInput): Promise<typeof GuardrailPolicyResult> {
    return this.change(ctx, 'guardrails.manage', input.tenantId, { kind: 'UnassignBaseline', assignmentId: input.assignmentId });
  }

  @Mutation(() => GuardrailPolicyResult, {
    description: "Which version of a library definition an assignment evaluates: one version from now on (pinned, e.g. a rollback), or the latest (followed, adopting each new one). The tenant is evaluated again.",
  })
  @Authorize({ kind: 'tenant', permission: 'guardrails.manage', tenantArg: 'input.tenantId' })
  setLibraryVersion(@Context() ctx: RequestContext, @Args('input') input: SetLibraryVersionInput): Promise<typeof GuardrailPolicyResult> {
    return this.change(ctx, 'guardrails.manage', input.tenantId, { kind: 'PinLibraryVersion', assignmentId: input.assignmentId, version: input.version ?? undefined });
  }

  @Mutation(() => GuardrailPolicyResult, { description: 'Asks for an exemption; it is in force once someone else approves it.' })
  @Authorize({ kind: 'tenant', permission: 'exemptions.request', tenantArg: 'input.tenantId' })
  requestExemption(@Context() ctx: RequestContext, @Args('input') input: RequestExemptionInput): Promise<typeof GuardrailPolicyResult> {
    if (input.category !== 'waiver' && input.category !== 'mitigated') throw badInput('category is waiver or mitigated');
    return this.change(ctx, 'exemptions.request', input.tenantId, {
      kind: 'RequestExemption',
      exemptionId: input.exemptionId,
      guardrailId: input.guardrailId,
      scope: input.scope,
      category: input.category,
      justification: input.justification,
      requestedBy: humanOf(ctx.scope.principal),
      expiresAt: input.expiresAt,
      now: new Date(),
    });
  }

  @Mutation(() => GuardrailPolicyResult, { description: 'Approves a requested exemption: the approver must be another person than the requester.' })
  @Authorize({ kind: 'tenant', permission: 'exemptions.approve', tenantArg: 'input.tenantId' })
  approveExemption(@Context() ctx: RequestContext, @Args('input') input: ExemptionRefInput): Promise<typeof GuardrailPolicyResult> {
    return this.change(ctx, 'exemptions.approve', input.tenantId, { kind: 'ApproveExemption', exemptionId: input.exemptionId, approvedBy: humanOf(ctx.scope.principal), now: new Date() });
  }

  @Mutation(() => GuardrailPolicyResult)
  @Authorize({ kind: 'tenant', permission: 'exemptions.approve', tenantArg: 'input.tenantId' })
  revokeExemption(@Context() ctx: RequestContext, @Args('input') input: RevokeExemptionInput): Promise<typeof GuardrailPolicyResult> {
    return this.change(ctx, 'exemptions.approve', input.tenantId, { kind: 'RevokeExemption', exemptionId: input.exemptionId, reason: input.reason });
  }

  @Mutation(() => GuardrailPolicyResult, { description: 'Which finding severities raise an incident and which send a notification.' })
  @Authorize({ kind: 'tenant', permission: 'guardrails.manage', tenantArg: 'input.tenantId' })
  async setReportingPolicy(@Context() ctx: RequestContext, @Args('input') input: SetReportingPolicyInput): Promise<typeof GuardrailPolicyResult> {
    const incidentSeverities = (input.incidentSeverities as Severity[] | null | undefined) ?? undefined;
    const changed = await this.change(ctx, 'guardrails.manage', input.tenantId, { kind: 'SetReportingPolicy', incidentSeverities, notifySeverities: input.notifySeverities as Severity[] });
    if ('code' in changed || !incidentSeverities) return changed;
    // Deprecated, still honoured: the incidents context decides which findings open an incident,
    // so the choice is recorded where it decides from, through its own use case.
    const outcome = await setIncidentPolicy(
      { stores: this.runtime.stores, standing: tenantStanding(this.runtime.stores.eventStore) },
      input.tenantId,
      { kind: 'SetIncidentPolicy', findingSeverities: incidentSeverities },
      { actor: ctx.scope.actorFor('guardrails.manage', input.tenantId), correlationId: ctx.correlationId, causationId: null, now: new Date() },
    );
    return outcome.ok ? changed : { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
  }

  private async change(ctx: RequestContext, permission: Permission, tenantId: string, command: TenantGuardrailsCommand): Promise<typeof GuardrailPolicyResult> {
    const outcome = await changeTenantGuardrails(
      { eventStore: this.runtime.stores.eventStore, standing: tenantStanding(this.runtime.stores.eventStore) },
      { tenantId, actor: ctx.scope.actorFor(permission, tenantId), correlationId: ctx.correlationId, now: new Date() },
      command,
    );
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { tenantId, revision: outcome.append?.nextExpectedRevision ?? -1 };
  }
}

/** What a finding's reader does about it: its guardrail's remediation, curated or from the standard's definition. */
@Resolver(() => FindingType)
export class FindingGuidanceResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @ResolveField(() => String, {
    description:
      "How to fix it, in words: the guardrail's remediation (Rampart's curated text, the standard's own guidance, or the library definition's: the provider's or the tenant's own). Empty when the guardrail is no longer in the catalog.",
  })
  async remediation(@Parent() finding: FindingType): Promise<string> {
    const catalog = await catalogWithLibrary(this.runtime.stores.eventStore, undefined, finding.tenantId);
    return catalog.guardrails.get(finding.guardrailId)?.guardrail.remediation ?? '';
  }
}

@Resolver(() => ResourceType)
export class ResourceComplianceResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @ResolveField(() => [ResourceComplianceType], { description: 'What each assigned guardrail says about this resource now (applicable ones).' })
  async compliance(@Parent() resource: ResourceType): Promise<ResourceComplianceType[]> {
    const { rows } = await this.runtime.stores.readModels.query<{ doc: ComplianceEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".compliance WHERE tenant_id = $1 AND doc->>'resourceKey' = $2 ORDER BY id`,
      [resource.tenantId, resource.resourceKey],
    );
    return rows.map(({ doc }) => ({ ...doc }));
  }

  @ResolveField(() => [ComplianceChangeType], { description: 'Every change of what a guardrail says about this resource, oldest first: its compliance over time.' })
  async complianceHistory(@Parent() resource: ResourceType): Promise<ComplianceChangeType[]> {
    const events = await this.runtime.stores.eventStore.readStream(postureStreamId(resource.tenantId, resource.resourceKey));
    return events
      .filter((e): e is RecordedEvent & ComplianceStateChanged => e.type === 'guardrails.ComplianceStateChanged.v1')
      .map((e) => ({
        recordedAt: e.recordedAt,
        assignmentId: e.data.assignmentId,
        baselineId: e.data.baselineId,
        guardrailId: e.data.guardrailId,
        from: e.data.from,
        to: e.data.to,
        reason: e.data.reason,
        exemptionId: e.data.exemptionId,
      }));
  }
}
