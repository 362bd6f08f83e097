// Audit exports over GraphQL: an auditor (or an admin) asks for a tenant's signed audit trail of a
// period; it is written in the background and downloaded through short-lived links; the public key
// that verifies every manifest is published here, for `rampart audit verify --public-key`.
import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { auditTrailStreamId, type AuditExported } from '@rampart/audit';
import type { RecordedEvent } from '@rampart/event-sourcing';
import { AuditExportError, AuditSigningKeyError, type AuditExportJob } from '@rampart/audit-application';
import { GraphQLError } from 'graphql';
import { Authorize, InheritsAuthorization, TenantOwned } from '../authorization/rules';
import type { RequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { badInput, periodArgs } from './inputs';

@ObjectType({ description: 'The key that signs audit export manifests: verify an export offline with it.' })
@InheritsAuthorization()
export class AuditPublicKeyType {
  @Field() algorithm!: string;
  @Field({ description: 'SHA-256 (hex) of the public key (SPKI DER), as manifests name it in signature.keyId.' }) keyId!: string;
  @Field({ description: 'SPKI PEM: save it and run `rampart audit verify <dir> --public-key <file>`.' }) publicKeyPem!: string;
}

@ObjectType()
@InheritsAuthorization()
export class AuditDownloadLinkType {
  @Field() file!: string;
  @Field({ description: 'Relative to the API; GET it with your usual authentication before expiresAt.' }) url!: string;
  @Field() expiresAt!: string;
}

@ObjectType({ description: "An export of a tenant's audit trail: events.ndjson, events.csv, OSCAL, OCSF and the signed manifest." })
@TenantOwned('audit.export')
export class AuditExportType {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) exportId!: string;
  @Field() from!: string;
  @Field() to!: string;
  @Field({ description: 'running | succeeded | failed' }) status!: string;
  @Field() requestedBy!: string;
  @Field() requestedAt!: string;
  @Field(() => Int, { description: 'Events written so far (all of them once succeeded).' }) eventsWritten!: number;
  @Field(() => String, { nullable: true, description: "SHA-256 of manifest.json: the tenant's next export chains to it." }) manifestSha256!: string | null;
  @Field(() => String, { nullable: true }) firstPosition!: string | null;
  @Field(() => String, { nullable: true }) lastPosition!: string | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => [AuditDownloadLinkType], { description: 'Once succeeded: a link per file, valid for 15 minutes.' }) links!: AuditDownloadLinkType[];
}

@ObjectType({ description: "An export recorded in the tenant's trail: the chain of manifests an auditor follows." })
@InheritsAuthorization()
export class AuditExportRecordType {
  @Field(() => ID) exportId!: string;
  @Field() from!: string;
  @Field() to!: string;
  @Field() recordedAt!: string;
  @Field({ description: 'Who asked for it.' }) requestedBy!: string;
  @Field(() => Int) eventCount!: number;
  @Field() manifestSha256!: string;
  @Field(() => String, { nullable: true }) previousManifestSha256!: string | null;
  @Field({ description: 'Whether this API instance still holds its files (then auditExport gives download links).' }) downloadable!: boolean;
}

@InputType()
export class RequestAuditExportInput {
  @Field(() => ID) tenantId!: string;
  @Field({ description: 'Start of the period, inclusive (ISO-8601).' }) from!: string;
  @Field({ description: 'End of the period, exclusive; not in the future.' }) to!: string;
}

@Resolver()
export class AuditResolver {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  private view(job: AuditExportJob): AuditExportType {
    return {
      tenantId: job.tenantId,
      exportId: job.exportId,
      from: job.from,
      to: job.to,
      status: job.status,
      requestedBy: job.requestedBy,
      requestedAt: job.requestedAt,
      eventsWritten: job.eventsWritten,
      manifestSha256: job.manifestSha256 ?? null,
      firstPosition: job.manifest?.firstPosition ?? null,
      lastPosition: job.manifest?.lastPosition ?? null,
      error: job.error ?? null,
      links: this.runtime.audit.links(job),
    };
  }

  @Query(() => AuditPublicKeyType, { description: 'The public key that verifies audit export manifests.' })
  @Authorize({ kind: 'self' })
  async auditPublicKey(): Promise<AuditPublicKeyType> {
    try {
      const key = await this.runtime.audit.key();
      return { algorithm: 'Ed25519', keyId: key.keyId, publicKeyPem: key.publicKeyPem };
    } catch (error) {
      if (error instanceof AuditSigningKeyError) throw new GraphQLError(`audit exports are not set up: ${error.message}`, { extensions: { code: 'UNAVAILABLE' } });
      throw error;
    }
  }

  @Mutation(() => AuditExportType, {
    description: "Starts an export of the tenant's audit trail for [from, to); poll auditExport for its status and download links. The export is itself recorded in the trail.",
  })
  @Authorize({ kind: 'tenant', permission: 'audit.export', tenantArg: 'input.tenantId' })
  async requestAuditExport(@Context() ctx: RequestContext, @Args('input') input: RequestAuditExportInput): Promise<AuditExportType> {
    const { start: from, end: to } = periodArgs(input.from, input.to);
    try {
      const actor = ctx.scope.actorFor('audit.export', input.tenantId);
      return this.view(await this.runtime.audit.start(input.tenantId, from, to, actor));
    } catch (error) {
      if (error instanceof RangeError) throw badInput(error.message);
      if (error instanceof AuditExportError) throw badInput(error.message, error.code ? { reason: error.code } : {});
      if (error instanceof AuditSigningKeyError) throw new GraphQLError(`audit exports are not set up: ${error.message}`, { extensions: { code: 'UNAVAILABLE' } });
      throw error;
    }
  }

  @Query(() => [AuditExportRecordType], { description: "The tenant's recorded exports, newest first (from its trail: every instance's, and the CLI's)." })
  @Authorize({ kind: 'tenant', permission: 'audit.export', tenantArg: 'tenantId' })
  async auditExports(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<AuditExportRecordType[]> {
    const events = (await this.runtime.stores.eventStore.readStream(auditTrailStreamId(tenantId))) as unknown as (AuditExported & RecordedEvent)[];
    return events
      .filter((e) => e.type === 'audit.AuditExported.v1')
      .reverse()
      .map((e) => ({
        exportId: e.data.exportId,
        from: e.data.from,
        to: e.data.to,
        recordedAt: e.recordedAt,
        requestedBy: e.metadata.actor.id,
        eventCount: e.data.eventCount,
        manifestSha256: e.data.manifestSha256,
        previousManifestSha256: e.data.previousManifestSha256,
        downloadable: this.runtime.audit.job(tenantId, e.data.exportId)?.status === 'succeeded',
      }));
  }

  @Query(() => AuditExportType, { nullable: true, description: 'An export this API instance ran (status, manifest digest, download links).' })
  @Authorize({ kind: 'tenant', permission: 'audit.export', tenantArg: 'tenantId' })
  auditExport(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('exportId', { type: () => ID }) exportId: string): AuditExportType | null {
    const job = this.runtime.audit.job(tenantId, exportId);
    return job ? this.view(job) : null;
  }
}
