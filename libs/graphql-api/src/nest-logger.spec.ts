import { GraphQLError } from 'graphql';
import { AuthorizationError } from '@rampart/auth';
import { PinoNestLogger } from './nest-logger';

const capture = () => {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message });
  const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), trace: at('trace') };
  return { lines, nest: new PinoNestLogger(logger as never) };
};

describe('Nest log lines', () => {
  it("logs the caller's mistakes at info with their code, not as errors", () => {
    const { lines, nest } = capture();
    nest.error(new GraphQLError('first must be between 1 and 100', { extensions: { code: 'BAD_USER_INPUT' } }), undefined, 'ExceptionsHandler');
    nest.error(new AuthorizationError('not allowed to tenants.read for tenant "x"'), undefined, 'ExceptionsHandler');
    expect(lines.map((l) => [l.level, l.fields['code']])).toEqual([
      ['info', 'BAD_USER_INPUT'],
      ['info', 'FORBIDDEN'],
    ]);
  });

  it('keeps level error for what broke on our side', () => {
    const { lines, nest } = capture();
    nest.error(new Error('connection terminated unexpectedly'), 'stack', 'ExceptionsHandler');
    expect(lines).toEqual([{ level: 'error', fields: { context: 'ExceptionsHandler', trace: 'stack' }, message: 'Error: connection terminated unexpectedly' }]);
  });
});
