// The provider's policy library over GraphQL: what it holds, and an import of policy files planned
// (and, when asked, applied) by the same use cases as `rampart policy import`. Platform admins only:
// the library is the provider's, no tenant's.
import { Inject } from '@nestjs/common';
import { Args, Context, createUnionType, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { libraryWhatIf } from '@rampart/platform';
import { isValidTenantId, unstorableTextIn, type Actor } from '@rampart/event-sourcing';
import {
  applyPolicyImport,
  approveLibraryChange,
  IMPORT_LIMITS,
  libraryArtifactHistory,
  libraryAssignments,
  libraryChanges,
  loadLibrary,
  planPolicyImport,
  PolicyImportError,
  readLibraryPolicy,
  rejectLibraryChange,
  retireLibraryArtifact,
  setLibraryPolicy,
  type LibraryChangeView,
  type LibraryScopeOption,
} from '@rampart/guardrails-application';
import { isValidArtifactName, type ImportPlan, type LibraryArtifactRetired, type LibraryIndex, type PolicyFile } from '@rampart/guardrails';
import { tenantStanding } from '@rampart/tenancy-application';
import { Authorize, InheritsAuthorization } from '../authorization/rules';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { badInput } from './inputs';
import { Rejection } from './types';

@ObjectType({ description: "An artifact of the provider's policy library: a custom policy definition or initiative, at its latest version." })
@InheritsAuthorization()
export class PolicyLibraryArtifactType {
  @Field({ description: '`definition` or `initiative`.' }) kind!: string;
  @Field({ description: "Azure's name for it; known case-insensitively." }) name!: string;
  @Field() displayName!: string;
  @Field(() => Int, { description: 'Its latest version: one more for each change of content; earlier ones stay in its stream.' }) version!: number;
  @Field({ description: "SHA-256 of the latest version's canonical JSON." }) sha256!: string;
  @Field({ description: 'Retired: kept for history, no longer offered.' }) retired!: boolean;
  @Field(() => String, { nullable: true, description: 'The file it was imported from, within the imported folder.' }) source!: string | null;
  @Field(() => String, { nullable: true, description: 'When the latest version was recorded.' }) recordedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'Who recorded the latest version.' }) recordedBy!: string | null;
}

@ObjectType({ description: "An initiative's member: the definition it evaluates." })
@InheritsAuthorization()
export class PolicyLibraryMemberType {
  @Field() referenceId!: string;
  @Field({ description: '`built-in` (one of Azure\'s) or `library`.' }) source!: string;
  @Field({ description: "The definition's name: a built-in's GUID, or the library definition's name." }) name!: string;
  @Field(() => Int, { nullable: true, description: 'For a library definition: the version this version of the initiative evaluates.' }) version!: number | null;
}

@ObjectType({ description: 'A tenant assignment of a library artifact.' })
@InheritsAuthorization()
export class PolicyLibraryAssignmentType {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) assignmentId!: string;
  @Field(() => ID, { description: 'The version it evaluates (`lib-definition:<name>@<n>`).' }) baselineId!: string;
  @Field(() => ID, { nullable: true, description: 'Set when it follows the latest version.' }) follows!: string | null;
  @Field() scope!: string;
}

@ObjectType({ description: 'One version of a library artifact, as imported.' })
@InheritsAuthorization()
export class PolicyLibraryVersionType {
  @Field(() => Int) version!: number;
  @Field() sha256!: string;
  @Field() displayName!: string;
  @Field({ description: 'The file it was imported from.' }) source!: string;
  @Field({ description: 'The definition or initiative as imported (JSON).' }) content!: string;
  @Field(() => [PolicyLibraryMemberType], { nullable: true, description: "An initiative's members, with the library definitions' versions this version holds." })
  members!: PolicyLibraryMemberType[] | null;
  @Field() recordedAt!: string;
  @Field() recordedBy!: string;
}

@ObjectType({ description: 'A retirement of a library artifact: kept for history, no longer offered.' })
@InheritsAuthorization()
export class PolicyLibraryRetirementType {
  @Field(() => Int, { description: 'The version it was at.' }) version!: number;
  @Field() reason!: string;
  @Field() recordedAt!: string;
  @Field() recordedBy!: string;
}

@ObjectType({ description: 'A library artifact with every version it has had.' })
@InheritsAuthorization()
export class PolicyLibraryArtifactDetailType {
  @Field() kind!: string;
  @Field() name!: string;
  @Field() retired!: boolean;
  @Field(() => [PolicyLibraryVersionType], { description: 'Oldest first.' }) versions!: PolicyLibraryVersionType[];
  @Field(() => [PolicyLibraryRetirementType]) retirements!: PolicyLibraryRetirementType[];
  @Field(() => [PolicyLibraryAssignmentType], { description: 'Where it is assigned: every tenant assignment of any of its versions.' }) assignments!: PolicyLibraryAssignmentType[];
}

@InputType()
export class RetirePolicyLibraryArtifactInput {
  @Field({ description: '`definition` or `initiative`.' }) kind!: string;
  @Field() name!: string;
  @Field({ description: "Why, in 3-500 characters: the provider's trail keeps it." }) reason!: string;
}

@ObjectType({ description: 'A library artifact was retired.' })
@InheritsAuthorization()
export class PolicyLibraryRetired {
  @Field() kind!: string;
  @Field() name!: string;
  @Field(() => Int, { description: 'The version it was at.' }) version!: number;
}

export const PolicyLibraryRetireResult = createUnionType({
  name: 'PolicyLibraryRetireResult',
  types: () => [PolicyLibraryRetired, Rejection] as const,
  resolveType: (value: object) => ('code' in value ? Rejection : PolicyLibraryRetired),
});

@InputType()
export class PolicyFileInput {
  @Field({ description: 'Its path within the library folder, with / separators (a label: nothing is read from it).' }) path!: string;
  @Field({ description: 'The file as it is: JSON, or JSON with comments (.jsonc).' }) content!: string;
}

@InputType()
export class ImportPolicyLibraryInput {
  @Field(() => [PolicyFileInput], { description: `The folder's files, at most ${IMPORT_LIMITS.maxFiles} (and the request at most 1 MB: import a larger library in parts, or with \`rampart policy import\`).` })
  files!: PolicyFileInput[];
  @Field({ nullable: true, description: 'Record the plan (nothing is recorded when any item is refused). Default: only plan.' }) apply?: boolean;
  @Field({
    nullable: true,
    description:
      'Without apply: replay each definition the import adds or changes, and each member of each initiative it adds or changes, over the recorded history of the tenants that follow it (and whatIfTenants): what it would find.',
  })
  whatIf?: boolean;
  @Field(() => [ID], { nullable: true, description: 'With whatIf: more tenants to replay for (a new definition is followed by none yet).' }) whatIfTenants?: string[];
}

@InputType()
export class ImportTenantPolicyLibraryInput extends ImportPolicyLibraryInput {
  @Field(() => ID, { description: 'Whose own library.' }) tenantId!: string;
}

@InputType()
export class RetireTenantPolicyLibraryArtifactInput {
  @Field(() => ID) tenantId!: string;
  @Field({ description: '`definition` or `initiative`.' }) kind!: string;
  @Field() name!: string;
  @Field({ description: "Why, in 3-500 characters: the tenant's trail keeps it." }) reason!: string;
}

@ObjectType({ description: 'What a definition of the import would find in one tenant, replayed over its recorded history.' })
@InheritsAuthorization()
export class PolicyWhatIfType {
  @Field({ description: 'The definition, or the initiative whose member this is.' }) definition!: string;
  @Field(() => String, { nullable: true, description: "For an initiative: the member's reference id." }) member!: string | null;
  @Field(() => Int, { nullable: true, description: 'The version the import would record.' }) version!: number | null;
  @Field(() => ID) tenantId!: string;
  @Field({ description: '`follows` (its assignment follows the definition) or `named`.' }) reason!: string;
  @Field(() => Int, { description: 'Resources that would break it now.' }) nonCompliantNow!: number;
  @Field(() => Int, { description: 'Resources that would have broken it at some time.' }) nonCompliantEver!: number;
  @Field(() => Int, { description: 'Resources it could not evaluate at some time.' }) errors!: number;
  @Field(() => String, { nullable: true, description: 'When the earliest breach it would find began.' }) since!: string | null;
  @Field(() => String, { nullable: true, description: 'Why it could not be replayed, when it could not.' }) refusal!: string | null;
}

@ObjectType()
@InheritsAuthorization()
export class PolicyImportCountsType {
  @Field(() => Int) add!: number;
  @Field(() => Int) change!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) refused!: number;
  @Field(() => Int) skipped!: number;
}

@ObjectType({ description: 'What importing one artifact (or one file that holds none) does.' })
@InheritsAuthorization()
export class PolicyImportItemType {
  @Field({ description: '`definition`, `initiative`, or `file` for what is no artifact.' }) kind!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field() path!: string;
  @Field({ description: 'Where in the file, for a template with several resources (`resources[2]`).' }) at!: string;
  @Field({ description: '`add`, `change`, `unchanged`, `refused` or `skipped`.' }) action!: string;
  @Field(() => Int, { nullable: true, description: 'The version it has after the import (add, change), or has now (unchanged).' }) version!: number | null;
  @Field(() => [String], { description: 'Why it is refused or skipped, or what changes.' }) reasons!: string[];
}

@ObjectType({ description: 'The plan of an import, and whether it was recorded.' })
@InheritsAuthorization()
export class PolicyImportPlanType {
  @Field(() => PolicyImportCountsType) counts!: PolicyImportCountsType;
  @Field({ description: 'Nothing is refused: the plan may be applied.' }) applicable!: boolean;
  @Field({ description: 'The plan was recorded.' }) applied!: boolean;
  @Field(() => Int, { description: 'Artifacts recorded (added or changed) by this request.' }) recorded!: number;
  @Field(() => [PolicyImportItemType]) items!: PolicyImportItemType[];
  @Field(() => [PolicyWhatIfType], { nullable: true, description: 'With whatIf: what each added or changed definition would find. Nothing is recorded.' })
  whatIf?: PolicyWhatIfType[] | null;
  @Field(() => ID, { nullable: true, description: "With apply, when the library policy asks for a second person: the change proposed instead (nothing published until someone else approves it)." })
  proposedChangeId?: string | null;
}

@ObjectType({ description: "The provider's rules for its library." })
@InheritsAuthorization()
export class LibraryPolicyType {
  @Field({ description: 'Each library change is proposed, and takes effect once a second person approves it.' }) approvalRequired!: boolean;
  @Field(() => ID, { nullable: true, description: 'Turning approval off while it is on: the change proposed for someone else to approve.' }) proposedChangeId!: string | null;
}

export const LibraryPolicyResult = createUnionType({
  name: 'LibraryPolicyResult',
  types: () => [LibraryPolicyType, Rejection] as const,
  resolveType: (value: object) => ('code' in value ? Rejection : LibraryPolicyType),
});

@ObjectType({ description: 'An artifact a proposed library change publishes.' })
@InheritsAuthorization()
export class ProposedLibraryArtifactType {
  @Field() kind!: string;
  @Field() name!: string;
  @Field({ description: '`add` or `change`.' }) action!: string;
  @Field(() => Int, { description: 'The version it will have.' }) version!: number;
  @Field(() => Int, { description: 'The version the library held when it was proposed (0: none). Approving refuses if that moved.' }) basis!: number;
  @Field(() => [String]) reasons!: string[];
  @Field() source!: string;
  @Field({ description: 'What it publishes (JSON).' }) content!: string;
}

@ObjectType({ description: 'A library change waiting for, or past, its second person.' })
@InheritsAuthorization()
export class LibraryChangeType {
  @Field(() => ID) changeId!: string;
  @Field({ description: '`proposed`, `approved` (being applied), `applied` or `rejected`.' }) status!: string;
  @Field({ description: 'Proposed, unapproved and past its expiry: it can no longer be approved.' }) expired!: boolean;
  @Field() proposedBy!: string;
  @Field() proposedAt!: string;
  @Field() expiresAt!: string;
  @Field(() => String, { nullable: true, description: 'Who approved or rejected it.' }) decidedBy!: string | null;
  @Field(() => String, { nullable: true }) decidedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'Why it was rejected.' }) reason!: string | null;
  @Field(() => Int, { nullable: true, description: 'Once applied: the artifacts it published (the same content again publishes nothing).' }) recorded!: number | null;
  @Field(() => [ProposedLibraryArtifactType]) artifacts!: ProposedLibraryArtifactType[];
  @Field(() => Boolean, { nullable: true, description: 'Set when the change sets the library policy: whether approval is required after it.' }) approvalRequired!: boolean | null;
}

export const LibraryChangeResult = createUnionType({
  name: 'LibraryChangeResult',
  types: () => [LibraryChangeType, Rejection] as const,
  resolveType: (value: object) => ('code' in value ? Rejection : LibraryChangeType),
});

@InputType()
export class RejectLibraryChangeInput {
  @Field(() => ID) changeId!: string;
  @Field({ description: "Why, in 3-500 characters: the provider's trail keeps it." }) reason!: string;
}

const toChange = (c: LibraryChangeView): LibraryChangeType => ({
  changeId: c.changeId ?? '',
  status: c.status,
  expired: c.expired,
  proposedBy: c.proposedBy ?? '',
  proposedAt: c.proposedAt,
  expiresAt: c.expiresAt ?? '',
  decidedBy: c.decidedBy,
  decidedAt: c.decidedAt,
  reason: c.reason,
  recorded: c.recorded,
  artifacts: c.artifacts.map((a) => ({ kind: a.kind, name: a.name, action: a.action, version: a.version, basis: a.basis, reasons: [...a.reasons], source: a.source, content: JSON.stringify(a.content) })),
  approvalRequired: c.policy ? c.policy.approvalRequired : null,
});

const MAX_PATH = 512;

const toArtifacts = (library: LibraryIndex): PolicyLibraryArtifactType[] =>
  [...library.values()]
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
    .map((e) => ({
      kind: e.kind,
      name: e.name,
      displayName: e.displayName ?? e.name,
      version: e.version,
      sha256: e.sha256,
      retired: e.retired,
      source: e.source ?? null,
      recordedAt: e.recordedAt ?? null,
      recordedBy: e.recordedBy ?? null,
    }));

/** The provider's own record: staff act as the provider here, not on a tenant's behalf. */
export const providerActor = (ctx: RequestContext) =>
  ctx.principal.kind === 'api-key' && ctx.principal.issuedBy
    ? { kind: ctx.principal.kind, id: ctx.principal.id, issuedBy: { kind: 'user' as const, id: ctx.principal.issuedBy.id } }
    : { kind: ctx.principal.kind, id: ctx.principal.id };

const toPlan = (plan: ImportPlan, applied: boolean, recorded: number): PolicyImportPlanType => ({
  counts: { ...plan.counts },
  applicable: plan.applicable,
  applied,
  recorded,
  items: plan.items.map((i) => ({ kind: i.kind, name: i.name, path: i.path, at: i.at, action: i.action, version: i.version, reasons: [...i.reasons] })),
});

@Resolver()
export class LibraryResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => [PolicyLibraryArtifactType], { description: "The provider's policy library: every custom definition and initiative, latest version first by name." })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  async policyLibrary(): Promise<PolicyLibraryArtifactType[]> {
    return toArtifacts(await loadLibrary(this.runtime.stores.eventStore));
  }

  @Query(() => PolicyLibraryArtifactDetailType, { nullable: true, description: 'One library artifact with every version it has had; null when the library never held it.' })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  policyLibraryArtifact(@Args('kind') kind: string, @Args('name') name: string): Promise<PolicyLibraryArtifactDetailType | null> {
    return this.artifactDetail(kind, name);
  }

  @Query(() => LibraryPolicyType, { description: "The provider's rules for its library: whether each change needs a second person." })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  async libraryPolicy(): Promise<LibraryPolicyType> {
    return { ...(await readLibraryPolicy(this.runtime.stores.eventStore)), proposedChangeId: null };
  }

  @Mutation(() => LibraryPolicyResult, {
    description: 'Whether each library change needs a second person. Asking for it takes effect at once; turning it off while it is on is proposed, for someone else to approve.',
  })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  async setLibraryPolicy(@Context() ctx: RequestContext, @Args('approvalRequired') approvalRequired: boolean): Promise<typeof LibraryPolicyResult> {
    const outcome = await setLibraryPolicy(this.runtime.stores.eventStore, approvalRequired, { actor: providerActor(ctx), correlationId: ctx.correlationId, now: new Date() });
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { ...outcome.policy, proposedChangeId: outcome.proposedChangeId ?? null };
  }

  @Query(() => [LibraryChangeType], { description: 'Proposed library changes, newest first: those waiting for a second person and what became of the others.' })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  async libraryChanges(@Args('status', { nullable: true, description: '`proposed`, `approved`, `applied` or `rejected`; all when absent.' }) status?: string): Promise<LibraryChangeType[]> {
    if (status !== undefined && status !== null && !['proposed', 'approved', 'applied', 'rejected'].includes(status)) throw badInput('status is proposed, approved, applied or rejected');
    return (await libraryChanges(this.runtime.stores.eventStore)).filter((c) => !status || c.status === status).map(toChange);
  }

  @Mutation(() => LibraryChangeResult, {
    description: "Approves a proposed library change: by someone other than its proposer, before it expires, while the library still holds the versions it was planned against. What it holds is then published.",
  })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  async approveLibraryChange(@Context() ctx: RequestContext, @Args('changeId', { type: () => ID }) changeId: string): Promise<typeof LibraryChangeResult> {
    const outcome = await approveLibraryChange(this.runtime.stores.eventStore, changeId, { actor: providerActor(ctx), correlationId: ctx.correlationId, now: new Date() });
    return outcome.ok ? toChange(outcome.change) : { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
  }

  @Mutation(() => LibraryChangeResult, { description: 'Declines a proposed library change, or withdraws one of your own: nothing of it is published.' })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  async rejectLibraryChange(@Context() ctx: RequestContext, @Args('input') input: RejectLibraryChangeInput): Promise<typeof LibraryChangeResult> {
    const unstorable = unstorableTextIn({ reason: input.reason }, 'input');
    if (unstorable) throw badInput(`${unstorable}, which cannot be stored`, { reason: 'invalid-text' });
    const outcome = await rejectLibraryChange(this.runtime.stores.eventStore, input.changeId, input.reason, { actor: providerActor(ctx), correlationId: ctx.correlationId, now: new Date() });
    return outcome.ok ? toChange(outcome.change) : { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
  }

  @Mutation(() => PolicyLibraryRetireResult, {
    description:
      'Retires a library definition or initiative: kept for history and as-of, no longer offered to new assignments; assignments already made keep the version they evaluate until changed. A definition a live initiative holds is refused.',
  })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  retirePolicyLibraryArtifact(@Context() ctx: RequestContext, @Args('input') input: RetirePolicyLibraryArtifactInput): Promise<typeof PolicyLibraryRetireResult> {
    return this.retire(input, providerActor(ctx), ctx.correlationId);
  }

  @Mutation(() => PolicyImportPlanType, {
    description:
      "Plans importing policy files into the provider's library (added, changed, unchanged, refused with reasons) and, with apply, records the plan: all of it, or nothing when anything is refused. When the library policy asks for a second person, apply proposes the change instead (proposedChangeId).",
  })
  @Authorize({ kind: 'global', permission: 'library.manage' })
  importPolicyLibrary(@Context() ctx: RequestContext, @Args('input') input: ImportPolicyLibraryInput): Promise<PolicyImportPlanType> {
    return this.importFiles(input, { actor: providerActor(ctx), correlationId: ctx.correlationId });
  }

  @Mutation(() => PolicyImportPlanType, {
    description:
      "Plans importing policy files into a tenant's own library (its initiatives may hold the provider's library definitions too) and, with apply, records it. Only that tenant can be held to what it holds. whatIf replays it over that tenant's history.",
  })
  @Authorize({ kind: 'tenant', permission: 'guardrails.manage', tenantArg: 'input.tenantId' })
  importTenantPolicyLibrary(@Context() ctx: RequestContext, @Args('input') input: ImportTenantPolicyLibraryInput): Promise<PolicyImportPlanType> {
    const { tenantId } = input;
    return this.importFiles(input, { actor: ctx.scope.actorFor('guardrails.manage', tenantId), correlationId: ctx.correlationId }, { tenantId, standing: tenantStanding(this.runtime.stores.eventStore) });
  }

  @Query(() => [PolicyLibraryArtifactType], { description: "A tenant's own policy library: its custom definitions and initiatives, latest version first by name." })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async tenantPolicyLibrary(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<PolicyLibraryArtifactType[]> {
    return toArtifacts(await loadLibrary(this.runtime.stores.eventStore, { tenantId }));
  }

  @Query(() => PolicyLibraryArtifactDetailType, { nullable: true, description: "One artifact of a tenant's own library with every version it has had; null when that library never held it." })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  tenantPolicyLibraryArtifact(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('kind') kind: string, @Args('name') name: string): Promise<PolicyLibraryArtifactDetailType | null> {
    return this.artifactDetail(kind, name, { tenantId });
  }

  @Mutation(() => PolicyLibraryRetireResult, { description: "Retires an artifact of a tenant's own library: kept for history, no longer offered to new assignments." })
  @Authorize({ kind: 'tenant', permission: 'guardrails.manage', tenantArg: 'input.tenantId' })
  retireTenantPolicyLibraryArtifact(@Context() ctx: RequestContext, @Args('input') input: RetireTenantPolicyLibraryArtifactInput): Promise<typeof PolicyLibraryRetireResult> {
    return this.retire(input, ctx.scope.actorFor('guardrails.manage', input.tenantId), ctx.correlationId, { tenantId: input.tenantId, standing: tenantStanding(this.runtime.stores.eventStore) });
  }

  /** Plan, what-if or apply, for the provider's library or a tenant's own: the same rules for both. */
  private async importFiles(
    input: ImportPolicyLibraryInput,
    context: { readonly actor: Actor; readonly correlationId: string },
    scope: LibraryScopeOption = {},
  ): Promise<PolicyImportPlanType> {
    if (input.files.length === 0) throw badInput('files: give at least one policy file');
    if (input.files.length > IMPORT_LIMITS.maxFiles) throw badInput(`files: at most ${IMPORT_LIMITS.maxFiles}, got ${input.files.length}`);
    const files: PolicyFile[] = input.files.map((f, i) => {
      if (!f.path.trim() || f.path.length > MAX_PATH) throw badInput(`files[${i}].path: 1-${MAX_PATH} characters`);
      // recorded as the artifact's source: it must be storable text like anything else recorded
      const unstorable = unstorableTextIn({ path: f.path, content: f.content }, `files[${i}]`);
      if (unstorable) throw badInput(`${unstorable}, which cannot be stored`, { reason: 'invalid-text' });
      return { path: f.path.replace(/\\/g, '/'), text: f.content };
    });
    const store = this.runtime.stores.eventStore;
    if (input.whatIf && input.apply) throw badInput('whatIf records nothing: ask for it without apply, then apply');
    if ((input.whatIfTenants?.length ?? 0) > 100) throw badInput('whatIfTenants: at most 100');
    const invalid = (input.whatIfTenants ?? []).find((t) => !isValidTenantId(t));
    if (invalid !== undefined) throw badInput(`whatIfTenants: ${JSON.stringify(invalid.slice(0, 70))} is not a tenant id`);
    if (!input.apply) {
      const plan = await planPolicyImport(store, files, scope);
      if (!input.whatIf) return toPlan(plan, false, 0);
      const rows = await libraryWhatIf(this.runtime.stores, plan, { tenants: input.whatIfTenants ?? [], ...(scope.tenantId ? { tenantId: scope.tenantId } : {}) });
      return { ...toPlan(plan, false, 0), whatIf: rows.map((r) => ({ ...r, member: r.member ?? null, refusal: r.refusal ?? null })) };
    }
    try {
      const applied = await applyPolicyImport(store, files, { ...context, now: new Date() }, scope);
      if (applied.proposedChangeId) return { ...toPlan(applied.plan, false, 0), proposedChangeId: applied.proposedChangeId };
      return toPlan(applied.plan, true, applied.recorded);
    } catch (error) {
      if (!(error instanceof PolicyImportError)) throw error;
      // Refused items: the plan says which and why; nothing was recorded.
      if (error.plan) return toPlan(error.plan, false, 0);
      throw badInput(error.message, { reason: error.reason });
    }
  }

  private async artifactDetail(kind: string, name: string, scope: { readonly tenantId?: string } = {}): Promise<PolicyLibraryArtifactDetailType | null> {
    if (kind !== 'definition' && kind !== 'initiative') throw badInput('kind is `definition` or `initiative`');
    if (!isValidArtifactName(name)) throw badInput('name: up to 128 characters, none of <>*%&:\\?.+/ and no spaces');
    const history = await libraryArtifactHistory(this.runtime.stores.eventStore, kind, name, scope);
    if (!history) return null;
    return {
      kind: history.kind,
      name: history.name,
      retired: history.retired,
      versions: history.versions.map((v) => ({ ...v, content: JSON.stringify(v.content), members: v.members ? v.members.map((m) => ({ ...m, version: m.version ?? null })) : null })),
      retirements: history.retirements.map((r) => ({ ...r })),
      assignments: await libraryAssignments(this.runtime.stores, kind, history.name, scope),
    };
  }

  private async retire(
    input: { readonly kind: string; readonly name: string; readonly reason: string },
    actor: Actor,
    correlationId: string,
    scope: LibraryScopeOption = {},
  ): Promise<typeof PolicyLibraryRetireResult> {
    if (input.kind !== 'definition' && input.kind !== 'initiative') throw badInput('kind is `definition` or `initiative`');
    if (!isValidArtifactName(input.name)) throw badInput('name: up to 128 characters, none of <>*%&:\\?.+/ and no spaces');
    const unstorable = unstorableTextIn({ reason: input.reason }, 'input');
    if (unstorable) throw badInput(`${unstorable}, which cannot be stored`, { reason: 'invalid-text' });
    const outcome = await retireLibraryArtifact(this.runtime.stores.eventStore, { kind: input.kind, name: input.name, reason: input.reason }, { actor, correlationId, now: new Date() }, scope);
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    const retired = outcome.events.find((e) => e.type === 'guardrails.LibraryArtifactRetired.v1')?.data as LibraryArtifactRetired['data'] | undefined;
    return { kind: input.kind, name: retired?.name ?? input.name, version: retired?.version ?? 0 };
  }
}
