import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A read model kept by a projection, and how far behind the event log it is.' })
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
export class PlatformType {
  @Field() version!: string;
  @Field({ description: 'pglite | postgres | eventstoredb' }) store!: string;
  @Field({ description: 'Position of the last event in the global log, "<commit>/<prepare>".' }) headPosition!: string;
  @Field(() => [ProjectionStatusType]) projections!: ProjectionStatusType[];
}

@ObjectType({ description: 'A customer of the managed security provider.' })
export class TenantType {
  @Field() tenantId!: string;
  @Field() displayName!: string;
  @Field() sector!: string;
  @Field({ description: 'active | suspended' }) status!: string;
  @Field() onboardedAt!: string;
  @Field(() => String, { nullable: true }) suspendedReason!: string | null;
}
