// The enforcement point on a small hand-built schema: operations without a rule are refused,
// objects of a type without a rule are refused, tenant-owned objects of another tenant are refused
// wherever they appear (even nested under an allowed object), and allowed reads pass.
import { TenantScope, type RoleGrant } from '@rampart/auth';
import { graphql, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import type { RequestContext } from '../context';
import { applyAuthorization } from './apply-authorization';
import { AUTHORIZE, TYPE_AUTHORIZATION } from './rules';

const Secret = new GraphQLObjectType({ name: 'Secret', fields: { value: { type: GraphQLString } } }); // no rule
const Account = new GraphQLObjectType({
  name: 'Account',
  extensions: { [TYPE_AUTHORIZATION]: { kind: 'tenant-owned', permission: 'tenants.read', tenantField: 'tenantId' } },
  fields: { tenantId: { type: GraphQLString }, name: { type: GraphQLString } },
});
const Page = new GraphQLObjectType({
  name: 'Page',
  extensions: { [TYPE_AUTHORIZATION]: { kind: 'inherit' } },
  fields: { items: { type: new GraphQLList(Account) } },
});
const accounts = [
  { tenantId: 'a', name: 'alpha' },
  { tenantId: 'b', name: 'beta' },
];
const schema = applyAuthorization(
  new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        ruleless: { type: GraphQLString, resolve: () => 'should not be seen' },
        secret: { type: Secret, extensions: { [AUTHORIZE]: { kind: 'self' } }, resolve: () => ({ value: 'x' }) },
        account: {
          type: Account,
          args: { tenantId: { type: new GraphQLNonNull(GraphQLString) } },
          extensions: { [AUTHORIZE]: { kind: 'tenant', permission: 'tenants.read', tenantArg: 'tenantId' } },
          resolve: (_p, { tenantId }) => accounts.find((a) => a.tenantId === tenantId),
        },
        // a buggy resolver that returns every tenant's rows: the type rule still holds the line
        leaky: { type: Page, extensions: { [AUTHORIZE]: { kind: 'self' } }, resolve: async () => ({ items: accounts }) },
      },
    }),
  }),
);

const run = (source: string, ...grants: RoleGrant[]) => {
  const principal = { kind: 'user' as const, id: 'u', grants };
  const ctx = { principal, scope: new TenantScope(principal, new Map()), correlationId: 'c' } as unknown as RequestContext;
  return graphql({ schema, source, contextValue: ctx });
};
const viewerOfA: RoleGrant = { role: 'customer.viewer', tenantId: 'a' };

describe('applyAuthorization', () => {
  it('refuses an operation without a rule', async () => {
    const result = await run('{ ruleless }', viewerOfA);
    expect(result.data?.['ruleless']).toBeNull();
    expect(result.errors?.[0].message).toMatch(/"ruleless" has no authorization rule/);
  });

  it('refuses objects of a type without a rule', async () => {
    const result = await run('{ secret { value } }', viewerOfA);
    expect(result.data?.['secret']).toBeNull();
    expect(result.errors?.[0].message).toMatch(/type Secret has no authorization rule/);
  });

  it('checks the tenant argument of an operation', async () => {
    expect((await run('{ account(tenantId: "a") { name } }', viewerOfA)).data).toEqual({ account: { name: 'alpha' } });
    const other = await run('{ account(tenantId: "b") { name } }', viewerOfA);
    expect(other.data?.['account']).toBeNull();
    expect(other.errors?.[0].extensions?.['code']).toBe('FORBIDDEN');
  });

  it('refuses tenant-owned objects of another tenant wherever they appear', async () => {
    const result = await run('{ leaky { items { name } } }', viewerOfA);
    expect(JSON.stringify(result.data)).not.toContain('beta');
    expect(result.errors?.[0].message).toMatch(/not allowed to read this Account/);
    const admin = await run('{ leaky { items { name } } }', { role: 'platform.admin' });
    expect(admin.data).toEqual({ leaky: { items: [{ name: 'alpha' }, { name: 'beta' }] } });
  });

  it('refuses everything to an unauthenticated context', async () => {
    const result = await graphql({ schema, source: '{ account(tenantId: "a") { name } }', contextValue: {} });
    expect(result.errors?.[0].extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
