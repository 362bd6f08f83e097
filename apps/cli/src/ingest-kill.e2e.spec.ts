// `kill -9` in the middle of `rampart ingest`, then the same command again: the tenant's resource
// events end up exactly those of one clean run (PostgreSQL; a throwaway database).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { testDatabaseUrl } from '@rampart/event-store/testing';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'tools', 'bin', 'rampart.js');
const DB = `rampart_kill_${process.pid}`;

describe('rampart ingest killed with SIGKILL and run again', () => {
  let dir: string;
  let env: Record<string, string>;
  const admin = new Client({ connectionString: testDatabaseUrl() });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin.query(`CREATE DATABASE ${DB}`);
    dir = mkdtempSync(join(tmpdir(), 'rampart-kill-'));
    env = {
      ...(process.env as Record<string, string>),
      RAMPART_STORE: 'postgres',
      DATABASE_URL: testDatabaseUrl().replace(/\/[^/?]+(\?|$)/, `/${DB}$1`),
      RAMPART_DATA_DIR: dir,
      RAMPART_LOG_LEVEL: 'silent',
    };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  });

  const rampart = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });

  it('converges to the events of one clean run', async () => {
    // 3,000 resources made from the corpus examples with distinct ids
    const examples = join(root, 'libs', 'inventory', 'src', 'testing', 'arm-examples');
    const bodies = readdirSync(examples).filter((f) => f.endsWith('.json')).map((f) => readFileSync(join(examples, f), 'utf8'));
    const lines = Array.from({ length: 3_000 }, (_, i) => {
      const body = JSON.parse(bodies[i % bodies.length]) as { id: string; name?: string };
      return JSON.stringify({ ...body, id: `${body.id}-${i}`, name: `${body.name ?? 'r'}-${i}` });
    });
    const file = join(dir, 'inventory.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    for (const tenant of ['crashy', 'clean']) {
      const onboard = rampart('tenants', 'onboard', tenant, '--name', tenant, '--sector', 'retail', '--contact', `it@${tenant}.example`);
      expect(onboard.stderr).toBe('');
    }
    expect(rampart('ingest', '--tenant', 'clean', '--file', file, '--complete-scope').status).toBe(0);

    // start, wait until it has recorded part of the file, then SIGKILL
    const child = spawn(process.execPath, [bin, 'ingest', '--tenant', 'crashy', '--file', file, '--complete-scope'], { cwd: root, env });
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
        const seen = [...stderr.matchAll(/ingesting: (\d+) seen/g)].map((m) => Number(m[1]));
        if (seen.some((n) => n >= 300)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`ingest ended (${code}) before it could be killed:\n${stderr}`)));
    });
    await new Promise((r) => child.once('exit', r));

    const partial = await resourceEvents('crashy');
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(3_000);
    expect(rampart('ingest', '--tenant', 'crashy', '--file', file, '--complete-scope').status).toBe(0);

    const crashy = await resourceEvents('crashy');
    const clean = await resourceEvents('clean');
    expect(crashy).toEqual(clean);
    expect(crashy).toHaveLength(3_000);
  });

  const resourceEvents = async (tenant: string) => {
    const client = new Client({ connectionString: env['DATABASE_URL'] });
    await client.connect();
    try {
      const { rows } = await client.query<{ line: string }>(
        `SELECT type || ' ' || (data->>'resourceKey') || ' ' || coalesce(data->>'contentHash', data->>'afterHash', data->>'lastHash') AS line
         FROM rampart.events WHERE tenant_id = $1 AND type LIKE 'inventory.Resource%' ORDER BY 1`,
        [tenant],
      );
      return rows.map((r) => r.line);
    } finally {
      await client.end();
    }
  };
});
