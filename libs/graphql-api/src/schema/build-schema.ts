// The GraphQL schema as code-first resolvers define it, built without a server or a database, so
// the committed SDL can be generated and checked (npm run schema:write / the schema tests).
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { AttestationsResolver } from '../graphql/attestations.resolver';
import { AuditResolver } from '../graphql/audit.resolver';
import { AzureAgreementResolver } from '../graphql/azure-agreement.resolver';
import { RolloutsResolver } from '../graphql/rollouts.resolver';
import { FindingGuidanceResolver, GuardrailsResolver, ResourceComplianceResolver } from '../graphql/guardrails.resolver';
import { HistoryResolver } from '../graphql/history.resolver';
import { FindingIncidentFieldsResolver, IncidentsResolver } from '../graphql/incidents.resolver';
import { InventoryResolver } from '../graphql/inventory.resolver';
import { LibraryResolver } from '../graphql/library.resolver';
import { TenantGroupComplianceResolver, TenantGroupsResolver } from '../graphql/groups.resolver';
import { PlatformResolver } from '../graphql/platform.resolver';
import { ApiKeyFieldsResolver, TenancyResolver } from '../graphql/tenancy.resolver';

/** Every resolver class of the API: ApiModule provides these same classes. */
export const RESOLVERS = [PlatformResolver, TenancyResolver, ApiKeyFieldsResolver, InventoryResolver, GuardrailsResolver, FindingGuidanceResolver, ResourceComplianceResolver, IncidentsResolver, FindingIncidentFieldsResolver, HistoryResolver, AuditResolver, LibraryResolver, TenantGroupsResolver, TenantGroupComplianceResolver, AttestationsResolver, RolloutsResolver, AzureAgreementResolver];

export const buildSchema = async (): Promise<GraphQLSchema> => {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    await app.init();
    return lexicographicSortSchema(await app.get(GraphQLSchemaFactory).create(RESOLVERS));
  } finally {
    await app.close();
  }
};

export const printSdl = (schema: GraphQLSchema): string =>
  `# Generated from the resolvers by \`npm run schema:write\`; do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
