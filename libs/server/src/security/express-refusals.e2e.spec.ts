// What Express and body-parser would answer on their own — a malformed or oversize body, an unknown
// route, an undecodable path, a body encoding it cannot read — answers in the one refusal shape of
// every other route ({ errors: [{ message, extensions: { code } }] }, JSON), with a clear message and
// never a stack or an HTML page.
import { gzipSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../testing/harness';

const expectRefusal = async (res: Response, status: number, code: string, message: string | RegExp) => {
  const text = await res.text();
  expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status, type: expect.stringMatching(/^application\/json/) });
  expect(JSON.parse(text)).toEqual({ errors: [{ message: typeof message === 'string' ? message : expect.stringMatching(message), extensions: { code } }] });
  expect(text).not.toMatch(/<[a-z!]|\bat .*\.[jt]s:\d+|node_modules|SyntaxError|PayloadTooLargeError/i);
};

describe('refusals Express would make on its own', () => {
  let h: Harness;
  let dir: string;
  let admin: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Rampart</title><div id="root"></div>');
    h = await startHarness({ RAMPART_CONSOLE_DIR: dir });
    admin = await h.token({ role: 'platform.admin' });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...headers }, body });

  it('a body that is not JSON: 400 "request body is not valid JSON"', async () => {
    await expectRefusal(await post('/graphql', '{"query": "{ me { id } }"'), 400, 'BAD_REQUEST', 'request body is not valid JSON');
    await expectRefusal(await post('/graphql', '"a string"'), 400, 'BAD_REQUEST', 'request body is not valid JSON');
    // the console's sign-in has a parser of its own, before authentication
    await expectRefusal(await post('/auth/dev/token', '{code:'), 400, 'BAD_REQUEST', 'request body is not valid JSON');
  });

  it('a body over the limit: 413 "request body larger than …"', async () => {
    const huge = JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    await expectRefusal(await post('/graphql', huge), 413, 'PAYLOAD_TOO_LARGE', 'request body larger than 1 MiB');
    await expectRefusal(await post('/auth/dev/token', JSON.stringify({ code: 'x'.repeat(8_192) })), 413, 'PAYLOAD_TOO_LARGE', 'request body larger than 4 KiB');
    // inflated, a small gzip body is still measured by what it inflates to
    const bomb = gzipSync(Buffer.from(JSON.stringify({ query: '{ me { id } }', variables: { pad: ' '.repeat(4 * 1024 * 1024) } })));
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expectRefusal(await post('/graphql', bomb, { 'content-encoding': 'gzip' }), 413, 'PAYLOAD_TOO_LARGE', 'request body larger than 1 MiB');
  });

  it('a body in an encoding or charset it cannot read: 415', async () => {
    await expectRefusal(await post('/graphql', '{}', { 'content-encoding': 'compress' }), 415, 'UNSUPPORTED_MEDIA_TYPE', /content-encoding not supported/);
    await expectRefusal(await post('/graphql', '{}', { 'content-type': 'application/json; charset=ebcdic' }), 415, 'UNSUPPORTED_MEDIA_TYPE', /charset not supported/);
  });

  it('an unknown route, once authenticated: 404 in the same shape', async () => {
    const auth = { authorization: `Bearer ${admin}` };
    await expectRefusal(await fetch(`${h.url}/admin`, { headers: { accept: 'application/json', ...auth } }), 404, 'NOT_FOUND', 'no route GET /admin');
    await expectRefusal(await fetch(`${h.url}/health`, { method: 'DELETE', headers: auth }), 404, 'NOT_FOUND', 'no route DELETE /health');
    // and before authentication, still 401, in the same shape
    const anonymous = await fetch(`${h.url}/admin`, { headers: { accept: 'application/json' } });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a route parameter that does not decode: 400 in the same shape', async () => {
    const res = await fetch(`${h.url}/audit-exports/%E0%A4%A/some-export/events.csv`, { headers: { authorization: `Bearer ${admin}` } });
    await expectRefusal(res, 400, 'BAD_REQUEST', 'request refused: bad request');
  });
});
