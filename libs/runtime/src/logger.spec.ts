import { Writable } from 'node:stream';
import { createLogger } from './logger';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, destination };
};

describe('logger', () => {
  it('writes one JSON object per line with level, time and service', () => {
    const { lines, destination } = capture();
    createLogger('info', { name: 'api', destination }).info({ tenantId: 'contoso' }, 'tenant onboarded');
    expect(lines[0]).toMatchObject({ level: 'info', service: 'api', tenantId: 'contoso', msg: 'tenant onboarded' });
    expect(Date.parse(String(lines[0].time))).not.toBeNaN();
  });

  it('redacts secrets wherever they sit', () => {
    const { lines, destination } = capture();
    createLogger('info', { destination }).info(
      {
        req: { headers: { authorization: 'Bearer eyJhbGciOi' } },
        store: { databaseUrl: 'postgres://u:pw@db/x' },
        credential: { secret: 'hunter2' },
        actions: { executor: 'webhook', webhookUrl: 'https://logic.example/invoke?sig=sas-value', webhookSecret: 'whsec-value' },
      },
      'request',
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/eyJhbGciOi|hunter2|pw@db|sas-value|whsec-value/);
    expect(text).toContain('[redacted]');
  });
});
