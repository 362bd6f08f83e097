// The library artifact decider, given/when/then: versions, idempotent republishing, retirement,
// and the validation a definition must pass before anything is recorded.
import { givenWhenThen } from '@rampart/event-sourcing';
import type { LibraryDefinitionPublished } from '../events';
import sqlMinTls from '../../corpus/azure-policy/alz/policyDefinitions/Deny-Sql-minTLS.json';
import { contentSha256 } from './artifacts';
import { libraryDecider, libraryStreamId } from './library';

const given = givenWhenThen(libraryDecider);
const definition = sqlMinTls as unknown as Record<string, unknown>;
const publish = (content: Record<string, unknown> = definition, source = 'policyDefinitions/Deny-Sql-minTLS.json') =>
  ({ kind: 'PublishDefinition', name: 'Deny-Sql-minTLS', definition: content, source }) as const;
const published = (version: number, content: Record<string, unknown> = definition): LibraryDefinitionPublished => ({
  type: 'guardrails.LibraryDefinitionPublished.v1',
  data: {
    name: 'Deny-Sql-minTLS',
    version,
    sha256: contentSha256(content),
    displayName: 'Azure SQL Database should have the minimal TLS version set to the highest version',
    mode: 'Indexed',
    effects: ['Audit', 'Disabled', 'Deny'],
    extension: {},
    definition: content,
    source: 'policyDefinitions/Deny-Sql-minTLS.json',
  },
});
const withMetadata = (content: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> => {
  const properties = content['properties'] as Record<string, unknown>;
  return { ...content, properties: { ...properties, metadata: { ...(properties['metadata'] as object), ...extra } } };
};

describe('a policy library artifact', () => {
  it('lives in the provider scope, one stream per name, names known case-insensitively', () => {
    expect(libraryStreamId('definition', 'Deny-Sql-minTLS')).toBe('t-provider:library-definition-deny-sql-mintls');
    expect(libraryStreamId('initiative', 'Deny-PublicPaaSEndpoints')).toBe('t-provider:library-initiative-deny-publicpaasendpoints');
  });

  it('publishes a definition as version 1, with what the engine reads of it', () => {
    given().when(publish()).then(published(1));
  });

  it('records nothing when the same content is published again, even reformatted or reordered', () => {
    const reordered = Object.fromEntries(Object.entries(definition).reverse());
    given(published(1)).when(publish(JSON.parse(JSON.stringify(reordered)))).then();
  });

  it('makes changed content version 2, keeping version 1 in the stream', () => {
    const changed = withMetadata(definition, { version: '1.2.0' });
    given(published(1)).when(publish(changed)).then(published(2, changed));
  });

  it('carries Rampart\'s extension block, which Azure ignores, and refuses one it cannot read', () => {
    const extended = withMetadata(definition, { rampart: { severity: 'high', remediation: 'Set minimalTlsVersion to 1.2.', playbookId: 'harden-transport' } });
    given()
      .when(publish(extended))
      .thenMatches((decision) => {
        expect(decision).toEqual([expect.objectContaining({ data: expect.objectContaining({ extension: { severity: 'high', remediation: 'Set minimalTlsVersion to 1.2.', playbookId: 'harden-transport' } }) })]);
      });
    given().when(publish(withMetadata(definition, { rampart: { severity: 'urgent' } }))).thenRejects('invalid-extension');
    given().when(publish(withMetadata(definition, { rampart: { sevrity: 'high' } }))).thenRejects('invalid-extension');
  });

  it('refuses a definition the engine cannot compile, saying where', () => {
    const broken = { ...definition, properties: { ...(definition['properties'] as object), policyRule: { if: { field: 'type', equals: 'x' }, then: { effect: '[unknownFunction()]' } } } };
    given()
      .when(publish(broken))
      .thenMatches((decision) => {
        expect(decision).toMatchObject({ rejected: true, code: 'invalid-definition' });
      });
    given().when(publish({ properties: { displayName: 'no rule' } })).thenRejects('invalid-definition');
  });

  it('refuses an invalid name', () => {
    given().when({ ...publish(), name: 'has/slash' }).thenRejects('invalid-name');
  });

  it('retires with a reason, keeps the history, and comes back as a new version', () => {
    const retire = { kind: 'RetireArtifact', artifactKind: 'definition', name: 'Deny-Sql-minTLS', reason: 'replaced by the built-in' } as const;
    const retired = { type: 'guardrails.LibraryArtifactRetired.v1', data: { kind: 'definition', name: 'Deny-Sql-minTLS', version: 1, reason: 'replaced by the built-in' } } as const;
    given(published(1)).when(retire).then(retired);
    given(published(1), retired).when(retire).thenRejects('already-retired');
    given().when(retire).thenRejects('unknown-artifact');
    given(published(1)).when({ ...retire, reason: ' ' }).thenRejects('reason-required');
    given(published(1), retired).when(publish()).then(published(2));
  });

  it('publishes an initiative only with every member resolved', () => {
    const initiative = { name: 'Set', properties: { displayName: 'A set', policyDefinitions: [{ policyDefinitionReferenceId: 'tls', policyDefinitionId: '/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyDefinitions/Deny-Sql-minTLS' }] } };
    const members = [{ referenceId: 'tls', source: 'library' as const, name: 'Deny-Sql-minTLS' }];
    given()
      .when({ kind: 'PublishInitiative', name: 'Set', initiative, members, source: 'set.json' })
      .then({
        type: 'guardrails.LibraryInitiativePublished.v1',
        data: { name: 'Set', version: 1, sha256: contentSha256(initiative), displayName: 'A set', members, initiative, source: 'set.json' },
      });
    given().when({ kind: 'PublishInitiative', name: 'Set', initiative, members: [], source: 'set.json' }).thenRejects('unresolved-member');
    given()
      .when({ kind: 'PublishInitiative', name: 'Set', initiative: { properties: { policyDefinitions: [] } }, members: [], source: 'set.json' })
      .thenRejects('invalid-initiative');
  });
});
