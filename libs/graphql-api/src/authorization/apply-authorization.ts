// The single enforcement point: wraps every root field (query, mutation, subscription) and every
// field of a tenant-owned type with its declared rule. A field without a rule fails closed.
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { AuthorizationError, type Permission } from '@rampart/auth';
import {
  defaultFieldResolver,
  GraphQLError,
  isObjectType,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { RequestContext } from '../context';
import { AUTHORIZE, TYPE_AUTHORIZATION, type OperationRule, type TypeRule } from './rules';

export const forbidden = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

const valueAt = (args: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), args);

export const checkOperation = (rule: OperationRule | undefined, fieldName: string, args: Record<string, unknown>, ctx: RequestContext): void => {
  if (!ctx?.principal) throw new GraphQLError('authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
  if (!rule) throw forbidden(`"${fieldName}" has no authorization rule, so it is refused`);
  try {
    switch (rule.kind) {
      case 'self':
        return;
      case 'global':
        ctx.scope.assertGlobally(rule.permission);
        return;
      case 'tenant': {
        const tenantId = valueAt(args, rule.tenantArg);
        if (typeof tenantId !== 'string') throw new AuthorizationError(`"${fieldName}" needs ${rule.tenantArg}`);
        ctx.scope.assert(rule.permission, tenantId);
        return;
      }
      case 'list': {
        const tenantId = rule.tenantArg ? valueAt(args, rule.tenantArg) : undefined;
        if (typeof tenantId === 'string') ctx.scope.assert(rule.permission, tenantId);
        else if (!ctx.scope.canGlobally(rule.permission)) throw new AuthorizationError(`not allowed to ${rule.permission}`);
        return;
      }
    }
  } catch (error) {
    if (error instanceof AuthorizationError) throw forbidden(error.message);
    throw error;
  }
};

const checkOwner = (permission: Permission, tenantField: string, typeName: string) => {
  // Checked once per object per request, however many fields are read from it.
  const checked = new WeakSet<object>();
  return (parent: unknown, ctx: RequestContext) => {
    if (parent && typeof parent === 'object' && checked.has(parent)) return;
    const tenantId = (parent as Record<string, unknown> | null)?.[tenantField];
    if (typeof tenantId !== 'string' || !ctx.scope.can(permission, tenantId)) {
      throw forbidden(`not allowed to read this ${typeName}`);
    }
    if (parent && typeof parent === 'object') checked.add(parent);
  };
};

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export const applyAuthorization = (schema: GraphQLSchema): GraphQLSchema => {
  const rootNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field: GraphQLFieldConfig<unknown, RequestContext>, fieldName, typeName) => {
      if (typeName.startsWith('__')) return field;
      if (rootNames.has(typeName) || ROOT_TYPES.has(typeName)) {
        const rule = field.extensions?.[AUTHORIZE] as OperationRule | undefined;
        const guard = <T extends GraphQLFieldResolver<unknown, RequestContext>>(inner: T | undefined) =>
          ((parent, args, ctx, info) => {
            checkOperation(rule, fieldName, args, ctx);
            return (inner ?? defaultFieldResolver)(parent, args, ctx, info);
          }) as T;
        // A subscription is authorized when it starts; its payloads are objects whose own type rules
        // are checked as they are read.
        return field.subscribe ? { ...field, subscribe: guard(field.subscribe) } : { ...field, resolve: guard(field.resolve) };
      }
      const type = schema.getType(typeName) as GraphQLObjectType;
      const typeRule = type.extensions?.[TYPE_AUTHORIZATION] as TypeRule | undefined;
      if (typeRule?.kind === 'inherit') return field;
      const check = typeRule?.kind === 'tenant-owned' ? checkOwner(typeRule.permission, typeRule.tenantField, typeName) : undefined;
      const inner = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve: (parent, args, ctx, info) => {
          if (!check) throw forbidden(`type ${typeName} has no authorization rule, so its fields are refused`);
          check(parent, ctx);
          return inner(parent, args, ctx, info);
        },
      };
    },
  });
};

/** For the schema-walking test: every operation and object type and what (if anything) governs it. */
export const authorizationCoverage = (schema: GraphQLSchema) => {
  const operations: { type: string; field: string; rule?: OperationRule }[] = [];
  const types: { type: string; rule?: TypeRule }[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      operations.push({ type: root.name, field: field.name, rule: field.extensions?.[AUTHORIZE] as OperationRule | undefined });
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || ROOT_TYPES.has(type.name)) continue;
    types.push({ type: type.name, rule: type.extensions?.[TYPE_AUTHORIZATION] as TypeRule | undefined });
  }
  return { operations, types };
};
