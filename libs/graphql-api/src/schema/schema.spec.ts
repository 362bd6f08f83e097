// The committed SDL is the API's contract: it must match the code, and it must not break what
// clients of the last released schema rely on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema as buildFromSdl, findBreakingChanges } from 'graphql';
import { buildSchema, printSdl } from './build-schema';

const root = join(__dirname, '..', '..');
const committed = () => readFileSync(join(root, 'schema.graphql'), 'utf8');

describe('GraphQL schema contract', () => {
  jest.setTimeout(30_000);

  it('schema.graphql is up to date with the resolvers (run `npm run schema:write` when this fails)', async () => {
    expect(committed()).toBe(printSdl(await buildSchema()));
  });

  it('makes no breaking change against schema.released.graphql (the last released schema)', () => {
    const released = buildFromSdl(readFileSync(join(root, 'schema.released.graphql'), 'utf8'));
    const current = buildFromSdl(committed());
    const breaking = findBreakingChanges(released, current).map((c) => `${c.type}: ${c.description}`);
    expect(breaking).toEqual([]);
  });

  it('would notice a breaking change (the check is live)', () => {
    const current = buildFromSdl(committed());
    const narrowed = buildFromSdl(committed().replace(/^\s+tenant\(tenantId: ID!\): TenantType$/m, ''));
    expect(findBreakingChanges(current, narrowed).map((c) => c.type)).toContain('FIELD_REMOVED');
  });
});
