// Attestations over GraphQL: a tenant's attestations, and the commands people take on them (record,
// approve, reject, revoke) and on the tenant's attestation policy. Every write goes through
// guardrails' use cases, which ask tenancy's standing rule first; the evidence files themselves are
// uploaded and downloaded over HTTP (http/evidence.controller.ts) and named here by digest.
import { Inject } from '@nestjs/common';
import { Args, Context, createUnionType, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { humanOf } from '@rampart/auth';
import type { CommandOutcome } from '@rampart/event-sourcing';
import { evolveAttestation, initialAttestation, type AttestationEntry, type AttestationEvent } from '@rampart/guardrails';
import { changeAttestation, changeTenantGuardrails, listAttestations, recordAttestation } from '@rampart/guardrails-application';
import { tenantStanding } from '@rampart/tenancy-application';
import { Authorize, InheritsAuthorization, TenantOwned } from '../authorization/rules';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { GuardrailPolicyResult } from './guardrails.resolver';
import { EvidenceFileType, evidencePath, evidenceStoreOf } from './evidence';
import { badInput } from './inputs';
import { Rejection } from './types';

/** How many attestations one list returns at most (a tenant has tens; the filter narrows). */
export const MAX_ATTESTATIONS = 500;
const STATUSES = ['pending', 'active', 'rejected', 'revoked', 'expired'] as const;

@ObjectType({ description: "A named person's statement that a control no rule can check is met, with evidence, for a bounded time." })
@TenantOwned('tenants.read')
export class AttestationType {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) attestationId!: string;
  @Field(() => ID) standardId!: string;
  @Field() controlId!: string;
  @Field() statement!: string;
  @Field(() => [EvidenceFileType]) evidence!: EvidenceFileType[];
  @Field() attestedBy!: string;
  @Field() attestedAt!: string;
  @Field({ description: 'It stops holding at this instant.' }) validUntil!: string;
  @Field({ description: "The tenant's policy asked for a second person when it was recorded." }) approvalRequired!: boolean;
  @Field({ description: 'pending (awaiting a second person) | active | rejected | revoked | expired' }) status!: string;
  @Field({ description: 'Active and before validUntil: it counts for its control now.' }) holdsNow!: boolean;
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field(() => String, { nullable: true, description: 'When it came into force.' }) holdsFrom!: string | null;
  @Field(() => String, { nullable: true, description: 'Who rejected or revoked it.' }) endedBy!: string | null;
  @Field(() => String, { nullable: true }) endedAt!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType({ description: 'An attestation was recorded or changed.' })
@InheritsAuthorization()
export class AttestationChanged {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) attestationId!: string;
  @Field({ description: 'Its status after the change.' }) status!: string;
}

export const AttestationResult = createUnionType({
  name: 'AttestationResult',
  types: () => [AttestationChanged, Rejection] as const,
  resolveType: (value: object) => ('code' in value ? Rejection : AttestationChanged),
});

@InputType()
export class EvidenceRefInput {
  @Field({ description: 'The digest PUT /evidence/<tenant> answered with.' }) sha256!: string;
  @Field({ nullable: true, description: 'Default: the name it was uploaded with.' }) name?: string;
}

@InputType()
export class RecordAttestationInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID, { nullable: true, description: 'Default: a new id. Given, a retried request is refused as a duplicate instead of recorded twice.' }) attestationId?: string;
  @Field(() => ID, { description: "A standard's id (see standards)." }) standardId!: string;
  @Field({ description: 'A control of it that no rule checks in full (a manual or Static member, or none automated).' }) controlId!: string;
  @Field({ description: 'How the control is met: 20 to 8,000 characters.' }) statement!: string;
  @Field(() => [EvidenceRefInput], { defaultValue: [], description: 'At most 20 files, each uploaded first.' }) evidence!: EvidenceRefInput[];
  @Field({ description: 'ISO-8601, at most 366 days ahead.' }) validUntil!: string;
}

@InputType()
export class AttestationRefInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) attestationId!: string;
}

@InputType()
export class EndAttestationInput extends AttestationRefInput {
  @Field({ description: 'Why: the customer and the auditor read it.' }) reason!: string;
}

@InputType()
export class SetAttestationPolicyInput {
  @Field(() => ID) tenantId!: string;
  @Field({ description: 'Whether an attestation holds only once a second person approves it.' }) approvalRequired!: boolean;
}

export const toAttestation = (doc: AttestationEntry, now = new Date()): AttestationType => ({
  ...doc,
  evidence: doc.evidence.map((f) => ({ ...f, downloadPath: evidencePath(doc.tenantId, f.sha256) })),
  holdsNow: doc.status === 'active' && Date.parse(doc.validUntil) > now.getTime(),
});

const resultOf = (tenantId: string, attestationId: string, outcome: CommandOutcome<AttestationEvent>): typeof AttestationResult => {
  if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
  // each event sets the status it leaves the attestation in: the decider's own fold says which
  const events = outcome.events as unknown as AttestationEvent[];
  return { tenantId, attestationId, status: events.length ? events.reduce(evolveAttestation, initialAttestation()).status : 'unchanged' };
};

@Resolver()
export class AttestationsResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Query(() => [AttestationType], { description: `A tenant's attestations, newest first (at most ${MAX_ATTESTATIONS}): of one standard, in one status, or all.` })
  @Authorize({ kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' })
  async attestations(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('standardId', { type: () => ID, nullable: true }) standardId?: string,
    @Args('status', { nullable: true, description: STATUSES.join(' | ') }) status?: string,
  ): Promise<AttestationType[]> {
    if (status && !(STATUSES as readonly string[]).includes(status)) throw badInput(`status is one of ${STATUSES.join(', ')}`);
    const docs = await listAttestations(this.runtime.stores, tenantId, { standardId, status: status as AttestationEntry['status'] | undefined, limit: MAX_ATTESTATIONS });
    const now = new Date();
    return docs.map((d) => toAttestation(d, now));
  }

  @Mutation(() => AttestationResult, {
    description:
      "Attests that a control no rule can check is met, with evidence files uploaded first (PUT /evidence/<tenant>). It counts for the control until validUntil; where the tenant's policy asks for a second person, only once approved.",
  })
  @Authorize({ kind: 'tenant', permission: 'attestations.record', tenantArg: 'input.tenantId' })
  async recordAttestation(@Context() ctx: RequestContext, @Args('input') input: RecordAttestationInput): Promise<typeof AttestationResult> {
    const outcome = await recordAttestation(
      { eventStore: this.runtime.stores.eventStore, standing: tenantStanding(this.runtime.stores.eventStore), evidence: await evidenceStoreOf(this.runtime.stores) },
      { tenantId: input.tenantId, actor: ctx.scope.actorFor('attestations.record', input.tenantId), correlationId: ctx.correlationId, now: new Date() },
      {
        attestationId: input.attestationId ?? undefined,
        standardId: input.standardId,
        controlId: input.controlId,
        statement: input.statement,
        evidence: input.evidence.map((e) => ({ sha256: e.sha256, name: e.name ?? undefined })),
        attestedBy: humanOf(ctx.scope.principal),
        validUntil: input.validUntil,
      },
    );
    return resultOf(input.tenantId, outcome.attestationId, outcome);
  }

  @Mutation(() => AttestationResult, { description: 'Approves an attestation awaiting a second person: the approver must be another person than the attester.' })
  @Authorize({ kind: 'tenant', permission: 'attestations.approve', tenantArg: 'input.tenantId' })
  approveAttestation(@Context() ctx: RequestContext, @Args('input') input: AttestationRefInput): Promise<typeof AttestationResult> {
    return this.change(ctx, 'attestations.approve', input, { kind: 'ApproveAttestation', approvedBy: humanOf(ctx.scope.principal), now: new Date() });
  }

  @Mutation(() => AttestationResult, { description: 'Rejects an attestation awaiting a second person, with the reason.' })
  @Authorize({ kind: 'tenant', permission: 'attestations.approve', tenantArg: 'input.tenantId' })
  rejectAttestation(@Context() ctx: RequestContext, @Args('input') input: EndAttestationInput): Promise<typeof AttestationResult> {
    return this.change(ctx, 'attestations.approve', input, { kind: 'RejectAttestation', rejectedBy: humanOf(ctx.scope.principal), reason: input.reason });
  }

  @Mutation(() => AttestationResult, { description: 'Ends an attestation before its time, with the reason: its control needs evidence again.' })
  @Authorize({ kind: 'tenant', permission: 'attestations.record', tenantArg: 'input.tenantId' })
  revokeAttestation(@Context() ctx: RequestContext, @Args('input') input: EndAttestationInput): Promise<typeof AttestationResult> {
    return this.change(ctx, 'attestations.record', input, { kind: 'RevokeAttestation', revokedBy: humanOf(ctx.scope.principal), reason: input.reason });
  }

  @Mutation(() => GuardrailPolicyResult, { description: "Whether the tenant's attestations hold only once a second person approves them (from the next one recorded)." })
  @Authorize({ kind: 'tenant', permission: 'guardrails.manage', tenantArg: 'input.tenantId' })
  async setAttestationPolicy(@Context() ctx: RequestContext, @Args('input') input: SetAttestationPolicyInput): Promise<typeof GuardrailPolicyResult> {
    const outcome = await changeTenantGuardrails(
      { eventStore: this.runtime.stores.eventStore, standing: tenantStanding(this.runtime.stores.eventStore) },
      { tenantId: input.tenantId, actor: ctx.scope.actorFor('guardrails.manage', input.tenantId), correlationId: ctx.correlationId, now: new Date() },
      { kind: 'SetAttestationPolicy', approvalRequired: input.approvalRequired },
    );
    if (!outcome.ok) return { code: outcome.rejection.code, message: outcome.rejection.message ?? null };
    return { tenantId: input.tenantId, revision: outcome.append?.nextExpectedRevision ?? -1 };
  }

  private async change(
    ctx: RequestContext,
    permission: 'attestations.record' | 'attestations.approve',
    input: AttestationRefInput,
    command: Parameters<typeof changeAttestation>[3],
  ): Promise<typeof AttestationResult> {
    const outcome = await changeAttestation(
      { eventStore: this.runtime.stores.eventStore, standing: tenantStanding(this.runtime.stores.eventStore) },
      { tenantId: input.tenantId, actor: ctx.scope.actorFor(permission, input.tenantId), correlationId: ctx.correlationId, now: new Date() },
      input.attestationId,
      command,
    );
    return resultOf(input.tenantId, input.attestationId, outcome);
  }
}
