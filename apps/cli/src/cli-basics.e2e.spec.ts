// The `rampart` command as a user first meets it, each test on its own: help, development tokens,
// configuration errors, and `standalone` on PostgreSQL (in a database of its own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwawayPostgresDatabase } from '@rampart/event-store/testing';
import { devToken, killLeftovers, query, rampart, startStandalone } from './testing/cli';

describe('rampart CLI basics', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-cli-basics-'));
  });
  afterEach(killLeftovers);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('has --help on every command', () => {
    const top = rampart(['--help']);
    expect(top.status).toBe(0);
    for (const command of ['standalone', 'api', 'worker', 'config', 'projections', 'events', 'tenants', 'dev', 'ingest', 'policy', 'evaluate', 'baselines']) {
      expect(top.stdout).toContain(command);
    }
    for (const args of [['standalone'], ['projections', 'rebuild'], ['events'], ['tenants', 'onboard'], ['dev', 'token'], ['policy', 'test'], ['evaluate'], ['baselines', 'assign']]) {
      const help = rampart([...args, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: rampart /);
    }
  });

  it('mints development tokens only outside production, with the grant the role needs', () => {
    const env = { RAMPART_DATA_DIR: dataDir };
    expect(devToken(env, '--role', 'customer.viewer', '--tenant', 'contoso-bank')).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    const missing = rampart(['dev', 'token', '--role', 'soc.lead'], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/soc.lead needs --team/);
    const production = rampart(['dev', 'token', '--role', 'platform.admin'], { ...env, NODE_ENV: 'production' });
    expect(production.status).toBe(1);
    expect(production.stderr).toMatch(/development issuer is off/);
  });

  it('stops on a bad configuration value with a message that names it', () => {
    const result = rampart(['projections', 'status'], { RAMPART_STORE: 'mongodb' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/RAMPART_STORE .*"mongodb"/);
    expect(result.stderr).toMatch(/pglite/);
  });

  it('runs standalone on PostgreSQL', async () => {
    // Its own database: the product's default schemas must not meet another suite's.
    const db = await throwawayPostgresDatabase('cli');
    try {
      const env = { RAMPART_STORE: 'postgres', DATABASE_URL: db.url, RAMPART_DATA_DIR: dataDir, RAMPART_DEMO: 'tenants' };
      const server = await startStandalone(env);
      try {
        const body = await query(server.url, '{ platform { store } }', devToken(env, '--role', 'platform.admin'));
        expect(body).toEqual({ data: { platform: { store: 'postgres' } } });
      } finally {
        expect(await server.stop()).toBe(0);
      }
    } finally {
      await killLeftovers();
      await db.dispose();
    }
  }, 180_000);
});
