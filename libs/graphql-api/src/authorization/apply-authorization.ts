// The single enforcement point: wraps every root field (query, mutation, subscription) and every
// field of a tenant-owned type with its declared rule. A field without a rule fails closed.
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { AuthorizationError, type Permission } from '@rampart/auth';
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
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

type ResultCheck = (value: unknown, ctx: RequestContext) => void;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * How the objects a field returns are checked. Objects are checked where they enter the response
 * (once per object, whatever fields are read from it), not field by field.
 */
const resultCheckFor = (type: GraphQLNamedType): ResultCheck | undefined => {
  if (type.name.startsWith('__')) return undefined;
  if (isUnionType(type)) {
    const members = type.getTypes().map((member) => ({ member, rule: member.extensions?.[TYPE_AUTHORIZATION] as TypeRule | undefined }));
    const unruled = members.filter((m) => !m.rule).map((m) => m.member.name);
    if (unruled.length) return () => { throw forbidden(`type ${unruled.join(', ')} has no authorization rule, so it is refused`); };
    if (members.some((m) => m.rule?.kind === 'tenant-owned')) {
      throw new Error(`union ${type.name} has a tenant-owned member: check it on its own field instead`);
    }
    return undefined;
  }
  if (!isObjectType(type)) {
    return isInterfaceType(type) ? () => { throw forbidden(`interface ${type.name} has no authorization rule`); } : undefined;
  }
  const rule = type.extensions?.[TYPE_AUTHORIZATION] as TypeRule | undefined;
  if (rule?.kind === 'inherit') return undefined;
  if (!rule) return () => { throw forbidden(`type ${type.name} has no authorization rule, so it is refused`); };
  const { permission, tenantField } = rule;
  const visit = (value: unknown, ctx: RequestContext): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, ctx));
    const tenantId = (value as Record<string, unknown>)[tenantField];
    if (typeof tenantId !== 'string' || !ctx.scope.can(permission as Permission, tenantId)) {
      throw forbidden(`not allowed to read this ${type.name}`);
    }
  };
  return visit;
};

const withResultCheck = (
  inner: GraphQLFieldResolver<unknown, RequestContext>,
  check: ResultCheck,
): GraphQLFieldResolver<unknown, RequestContext> => (parent, args, ctx, info) => {
  const settle = (value: unknown) => {
    if (Array.isArray(value) && value.some(isThenable)) {
      return Promise.all(value).then((items) => {
        check(items, ctx);
        return items;
      });
    }
    check(value, ctx);
    return value;
  };
  const out = inner(parent, args, ctx, info);
  return isThenable(out) ? Promise.resolve(out).then(settle) : settle(out);
};

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export const applyAuthorization = (schema: GraphQLSchema): GraphQLSchema => {
  const rootNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field: GraphQLFieldConfig<unknown, RequestContext>, fieldName, typeName) => {
      if (typeName.startsWith('__')) return field;
      const check = resultCheckFor(getNamedType(field.type));
      let resolve = field.resolve;
      if (check) resolve = withResultCheck(resolve ?? defaultFieldResolver, check);
      if (!rootNames.has(typeName) && !ROOT_TYPES.has(typeName)) return resolve === field.resolve ? field : { ...field, resolve };

      const rule = field.extensions?.[AUTHORIZE] as OperationRule | undefined;
      const guard = <T extends GraphQLFieldResolver<unknown, RequestContext>>(inner: T | undefined) =>
        ((parent, args, ctx, info) => {
          checkOperation(rule, fieldName, args, ctx);
          return (inner ?? defaultFieldResolver)(parent, args, ctx, info);
        }) as T;
      // A subscription is authorized when it starts; each payload is checked as it is resolved.
      return field.subscribe ? { ...field, subscribe: guard(field.subscribe), resolve } : { ...field, resolve: guard(resolve) };
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
