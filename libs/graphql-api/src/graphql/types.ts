import { createUnionType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { InheritsAuthorization, TenantOwned } from '../authorization/rules';
import { connectionOf } from './connection';

@ObjectType({ description: 'A read model kept by a projection, and how far behind the event log it is.' })
@InheritsAuthorization()
export class ProjectionStatusType {
  @Field() name!: string;
  @Field(() => Int) version!: number;
  @Field({ description: 'Checkpoint in the global log, "<commit>/<prepare>".' }) position!: string;
  @Field(() => Float) eventsApplied!: number;
  @Field(() => Int, { description: 'Events not yet applied (counted up to 10000).' }) eventsBehind!: number;
  @Field(() => Float) secondsBehind!: number;
  @Field(() => String, { nullable: true }) updatedAt!: string | null;
}

@ObjectType({ description: 'This Rampart deployment.' })
@InheritsAuthorization()
export class PlatformType {
  @Field() version!: string;
  @Field({ description: 'pglite | postgres | eventstoredb' }) store!: string;
  @Field({ description: 'Position of the last event in the global log, "<commit>/<prepare>".' }) headPosition!: string;
  @Field(() => [ProjectionStatusType]) projections!: ProjectionStatusType[];
}

@ObjectType({ description: 'A role the caller holds, and where.' })
@InheritsAuthorization()
export class GrantType {
  @Field() role!: string;
  @Field(() => ID, { nullable: true }) tenantId!: string | null;
  @Field(() => String, { nullable: true }) socTeam!: string | null;
}

@ObjectType({ description: 'The authenticated caller.' })
@InheritsAuthorization()
export class MeType {
  @Field({ description: 'user | api-key' }) kind!: string;
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => String, { nullable: true, description: 'For an API key: the person who issued it and answers for what it does.' }) issuedBy!: string | null;
  @Field(() => [GrantType]) grants!: GrantType[];
  @Field(() => [ID], { description: 'Tenants the caller can read.' }) tenantIds!: string[];
}

@ObjectType({ description: "How Rampart reads a tenant's cloud; the credential is a reference to configuration, never a secret." })
@InheritsAuthorization()
export class CloudConnectionType {
  @Field(() => ID) connectionId!: string;
  @Field() provider!: string;
  @Field() entraTenantId!: string;
  @Field(() => [String]) subscriptions!: string[];
  @Field(() => [String]) managementGroups!: string[];
  @Field() credentialReference!: string;
}

@ObjectType({ description: 'A customer of the managed security provider.' })
@TenantOwned('tenants.read')
export class TenantType {
  @Field(() => ID) tenantId!: string;
  @Field() displayName!: string;
  @Field() sector!: string;
  @Field({ description: 'active | suspended | offboarded' }) status!: string;
  @Field(() => [CloudConnectionType]) connections!: CloudConnectionType[];
  @Field() onboardedAt!: string;
  @Field(() => String, { nullable: true }) suspendedReason!: string | null;
  @Field(() => [String], { description: 'SOC teams assigned to this tenant.' }) socTeams!: string[];
  @Field(() => Int, { description: "Revision of the tenant's history; send it back as expectedRevision when editing." })
  revision!: number;
}

export const TenantConnection = connectionOf(TenantType, 'Tenant');
export type TenantConnection = InstanceType<typeof TenantConnection>;

@InputType()
export class TenantFilter {
  @Field(() => ID, { nullable: true }) tenantId?: string;
  @Field({ nullable: true }) sector?: string;
  @Field({ nullable: true, description: 'active | suspended' }) status?: string;
}

@ObjectType({ description: 'An integration credential; its secret is shown only once, when issued.' })
@TenantOwned('apiKeys.read')
export class ApiKeyType {
  @Field(() => ID) keyId!: string;
  @Field(() => ID) tenantId!: string;
  @Field() name!: string;
  @Field(() => [String]) roles!: string[];
  @Field() expiresAt!: string;
  @Field() issuedAt!: string;
  @Field({ description: 'The person who issued the key and answers for what it does.' }) issuedBy!: string;
  @Field(() => String, { nullable: true, description: 'For a key with SOC roles: the SOC team it works for.' }) socTeam?: string | null;
  @Field(() => String, { nullable: true }) revokedAt!: string | null;
  @Field(() => String, { nullable: true }) revokedReason!: string | null;
  @Field(() => TenantType, { nullable: true, description: 'The tenant the key belongs to (batched).' }) tenant?: TenantType | null;
}

export const ApiKeyConnection = connectionOf(ApiKeyType, 'ApiKey');
export type ApiKeyConnection = InstanceType<typeof ApiKeyConnection>;

@ObjectType({ description: 'A command the domain refused, with a stable code (see docs/api.md).' })
@InheritsAuthorization()
export class Rejection {
  @Field() code!: string;
  @Field(() => String, { nullable: true }) message!: string | null;
}

@ObjectType()
@InheritsAuthorization()
export class TenantOnboarded {
  @Field(() => TenantType, { nullable: true, description: 'Null until the read model has caught up (milliseconds).' })
  tenant!: TenantType | null;
  @Field(() => ID) tenantId!: string;
}

@ObjectType()
@InheritsAuthorization()
export class SocTeamAssigned {
  @Field(() => ID) tenantId!: string;
  @Field() socTeam!: string;
  @Field(() => Int, { description: "The tenant's revision after the change." }) revision!: number;
}

@ObjectType()
@InheritsAuthorization()
export class ApiKeyIssued {
  @Field(() => ID) keyId!: string;
  @Field(() => ID) tenantId!: string;
  @Field({ description: 'The whole key, shown this once: store it in your secret manager.' }) secret!: string;
  @Field() expiresAt!: string;
}

@ObjectType()
@InheritsAuthorization()
export class ApiKeyRevoked {
  @Field(() => ID) keyId!: string;
  @Field(() => ID) tenantId!: string;
}

const resultUnion = (name: string, success: new () => object) =>
  createUnionType({
    name,
    types: () => [success, Rejection] as const,
    resolveType: (value: object) => ('code' in value ? Rejection : success),
  });

@ObjectType({ description: 'A change to a tenant was recorded.' })
@InheritsAuthorization()
export class TenantChanged {
  @Field(() => ID) tenantId!: string;
  @Field(() => Int, { description: "The tenant's revision after the change." }) revision!: number;
}

export const OnboardTenantResult = resultUnion('OnboardTenantResult', TenantOnboarded);
export const TenantChangeResult = resultUnion('TenantChangeResult', TenantChanged);
export const AssignSocTeamResult = resultUnion('AssignSocTeamResult', SocTeamAssigned);
export const IssueApiKeyResult = resultUnion('IssueApiKeyResult', ApiKeyIssued);
export const RevokeApiKeyResult = resultUnion('RevokeApiKeyResult', ApiKeyRevoked);

@InputType()
export class OnboardTenantInput {
  @Field(() => ID) tenantId!: string;
  @Field() displayName!: string;
  @Field() sector!: string;
  @Field() contactEmail!: string;
}

@InputType()
export class AssignSocTeamInput {
  @Field(() => ID) tenantId!: string;
  @Field() socTeam!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'The tenant revision the change was decided on; refused with stale-revision if the tenant changed since.',
  })
  expectedRevision?: number;
}

@InputType()
export class IssueApiKeyInput {
  @Field(() => ID) tenantId!: string;
  @Field() name!: string;
  @Field(() => [String], { description: 'customer.viewer and/or customer.admin' }) roles!: string[];
  @Field({ description: 'ISO 8601; at most 366 days ahead.' }) expiresAt!: string;
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) keyId!: string;
  @Field() reason!: string;
}

@ObjectType({ description: "An entry of a tenant's audit trail, as it is recorded." })
@TenantOwned('events.read')
export class TenantEventType {
  @Field(() => ID) eventId!: string;
  @Field(() => ID) tenantId!: string;
  @Field() streamId!: string;
  @Field(() => Int) revision!: number;
  @Field() type!: string;
  @Field({ description: 'Global log position "<commit>/<prepare>".' }) position!: string;
  @Field() recordedAt!: string;
  @Field() occurredAt!: string;
  @Field() actorKind!: string;
  @Field() actorId!: string;
  @Field(() => String, { nullable: true, description: 'For an API key: the person who issued it and answers for what it did.' }) actorIssuedBy!: string | null;
  @Field(() => String, { nullable: true, description: 'Set when SOC or platform staff acted for the tenant.' })
  onBehalfOfTenant!: string | null;
  @Field() correlationId!: string;
  @Field({ description: 'The event payload as JSON (credential hashes removed).' }) data!: string;
}

export const TenantEventConnection = connectionOf(TenantEventType, 'TenantEvent');
export type TenantEventConnection = InstanceType<typeof TenantEventConnection>;

@InputType()
export class AddCloudConnectionInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) connectionId!: string;
  @Field({ description: 'The Entra tenant (directory) id, a GUID.' }) entraTenantId!: string;
  @Field(() => [String], { defaultValue: [] }) subscriptions!: string[];
  @Field(() => [String], { defaultValue: [] }) managementGroups!: string[];
  @Field({ description: 'Name of a credential configured for the worker (RAMPART_AZURE_CREDENTIAL_<NAME>_*), or "default".' })
  credentialReference!: string;
}

@InputType()
export class RemoveCloudConnectionInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => ID) connectionId!: string;
}

@InputType()
export class OffboardTenantInput {
  @Field(() => ID) tenantId!: string;
  @Field() reason!: string;
}
