import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseGrant, ROLES, type RoleGrant } from '@rampart/auth';
import type { RampartConfig } from '@rampart/runtime';

/** As SIGN_IN_CODE_LIFETIME_SECONDS in @rampart/graphql-api says, for the help text without loading the API (a test keeps them equal). */
export const SIGN_IN_CODE_MINUTES = 15;

/** Where the console of `npm start` answers, from RAMPART_HOST and RAMPART_PORT (a wildcard address: this machine). */
export const consoleBaseUrl = (http: RampartConfig['http']): string => {
  if (http.port === 0) throw new Error('RAMPART_PORT is 0 (a free port picked at start): give the address the API printed with --url');
  const host = http.host === '0.0.0.0' ? '127.0.0.1' : http.host === '::' ? '::1' : http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${http.port}`;
};

const baseUrl = (value: string): string => {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new InvalidArgumentError('an http:// or https:// address, e.g. http://localhost:5173');
  return value.replace(/\/+$/, '');
};

export const devCommand = (program: Command, config: () => Promise<RampartConfig>): void => {
  const dev = program.command('dev').description('development helpers (refused when NODE_ENV=production)');
  dev
    .command('token')
    .description('mint a signed token of the local development issuer, for the standalone demo and tests')
    .addOption(new Option('--role <role>', 'role to grant').choices([...ROLES]).makeOptionMandatory())
    .option('--tenant <tenant-id>', 'tenant for customer.viewer, customer.admin and auditor')
    .option('--team <soc-team>', 'SOC team for soc.analyst and soc.lead')
    .option('--subject <id>', 'who the token is for', 'dev-user')
    .option('--name <display-name>', 'display name')
    .option('--hours <n>', 'lifetime in hours (at most 24)', (v) => {
      const n = Number(v);
      if (!(n > 0 && n <= 24)) throw new InvalidArgumentError('between 0 and 24');
      return n;
    }, 8)
    .addHelpText(
      'after',
      `\nExamples:\n  rampart dev token --role customer.viewer --tenant contoso-bank\n  rampart dev token --role soc.analyst --team blue\n  TOKEN=$(rampart dev token --role platform.admin)\n  curl -s http://127.0.0.1:4000/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ me { id grants { role tenantId socTeam } } }"}'`,
    )
    .action(async (options: { role: string; tenant?: string; team?: string; subject: string; name?: string; hours: number }) => {
      const cfg = await config();
      if (!cfg.auth.devIssuer) throw new Error('the development issuer is off (NODE_ENV=production or RAMPART_DEV_ISSUER=off)');
      const grant: RoleGrant | undefined = parseGrant({ role: options.role, tenantId: options.tenant, socTeam: options.team });
      if (!grant) {
        throw new Error(
          options.role.startsWith('soc.') ? `${options.role} needs --team` : options.role === 'platform.admin' ? 'invalid grant' : `${options.role} needs --tenant`,
        );
      }
      const { DevIssuer } = await import('@rampart/graphql-api');
      const issuer = await DevIssuer.open(cfg.dataDir, { production: cfg.production });
      const token = await issuer.sign({ subject: options.subject, name: options.name, grants: [grant], expiresInSeconds: Math.round(options.hours * 3600) });
      process.stdout.write(`${token}\n`);
    });
  dev
    .command('sign-in-link')
    .description(`print a new address of the web console with a development sign-in code: it signs in once, within ${SIGN_IN_CODE_MINUTES} minutes`)
    .option('--url <base-url>', 'the address the console is opened at (default: from RAMPART_HOST and RAMPART_PORT, as `npm start` printed it)', baseUrl)
    .addHelpText(
      'after',
      `\nThe running API accepts the code as long as it uses the same data folder (RAMPART_DATA_DIR): no restart.\nExamples:\n  rampart dev sign-in-link\n  rampart dev sign-in-link --url http://localhost:5173     # the console under Vite's dev server`,
    )
    .action(async (options: { url?: string }) => {
      const cfg = await config();
      if (!cfg.auth.devIssuer) throw new Error('the development sign-in is off (NODE_ENV=production or RAMPART_DEV_ISSUER=off): the console signs in with OIDC');
      const base = options.url ?? consoleBaseUrl(cfg.http);
      const { SignInCodes } = await import('@rampart/graphql-api');
      const codes = await SignInCodes.open(cfg.dataDir, { production: cfg.production });
      const { code, expiresAt } = await codes.mint();
      process.stdout.write(`${base}/?code=${code}\n`);
      process.stderr.write(`Open it in a browser: it signs in once, until ${new Date(expiresAt).toLocaleTimeString()}.\n`);
    });
};
