// docker-compose.yml read the way Docker Compose reads it, for the tests that check it (there is no
// Docker engine on the project's machines): YAML merge keys, `${NAME:-default}` and `${NAME:?error}`
// interpolated from a given environment, profiles. tools/workspace-checks/docker-compose.spec.ts
// checks the file; apps/cli/src/compose-stack.e2e.spec.ts runs its services' commands with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context: string };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string; readonly required?: boolean }>> | readonly string[];
  readonly profiles?: readonly string[];
  readonly healthcheck?: { readonly test: readonly string[]; readonly interval?: string; readonly start_period?: string };
  readonly deploy?: { readonly replicas?: number };
  readonly secrets?: readonly string[];
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly tmpfs?: readonly string[];
  readonly networks?: readonly string[] | Readonly<Record<string, unknown>>;
  readonly restart?: string;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
  readonly networks?: Readonly<Record<string, unknown>>;
  readonly secrets?: Readonly<Record<string, { readonly file?: string }>>;
}

export const COMPOSE_FILE = join(__dirname, '..', '..', '..', '..', 'docker-compose.yml');

/**
 * What an operator's `.env` provides for the variables compose requires (`${NAME:?…}`): values of the
 * right shape, not secrets anyone uses.
 */
export const OPERATOR_ENV: Readonly<Record<string, string>> = {
  POSTGRES_PASSWORD: 'operator-chosen-password-0123456789abcdef',
  RAMPART_OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0',
  RAMPART_OIDC_AUDIENCE: 'api://rampart',
  RAMPART_OIDC_JWKS_URI: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/discovery/v2.0/keys',
};

export class MissingComposeVariableError extends Error {
  constructor(readonly variable: string, readonly hint: string) {
    super(`compose requires ${variable}: ${hint}`);
    this.name = 'MissingComposeVariableError';
  }
}

/**
 * What Docker Compose does with a value: `${NAME:-default}` is NAME when set and not empty, else the
 * default; `${NAME:?message}` is NAME when set and not empty, else an error; `${NAME}` is NAME or empty.
 */
export const interpolate = (value: string, env: Readonly<Record<string, string | undefined>>): string =>
  value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string) => {
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (op === ':?') throw new MissingComposeVariableError(name, arg);
    return op === ':-' ? arg : '';
  });

/** Interpolates every string in the parsed document, as compose does before anything else. */
const interpolateAll = (node: unknown, env: Readonly<Record<string, string | undefined>>): unknown => {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, env));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, env)]));
  return node;
};

/** The file as parsed, merge keys resolved, nothing interpolated. */
export const readComposeRaw = (file = COMPOSE_FILE): ComposeFile => parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;

/** The file as `docker compose config` would show it with this environment (default: the operator's). */
export const readCompose = (env: Readonly<Record<string, string | undefined>> = OPERATOR_ENV, file = COMPOSE_FILE): ComposeFile =>
  interpolateAll(readComposeRaw(file), env) as ComposeFile;

/** The services `docker compose [--profile p]… up` starts: those without profiles, and those of an active profile. */
export const activeServices = (compose: ComposeFile, profiles: readonly string[] = []): Record<string, ComposeService> =>
  Object.fromEntries(
    Object.entries(compose.services).filter(([, s]) => !s.profiles?.length || s.profiles.some((p) => profiles.includes(p))),
  );
