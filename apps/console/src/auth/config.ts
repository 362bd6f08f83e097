// How this deployment signs people in, from GET /console/config.json (no authentication): the local
// development issuer with its personas, an OIDC issuer (authorization code + PKCE), or none yet.

export interface Persona {
  readonly id: string;
  readonly label: string;
  readonly role: string;
  readonly socTeam?: string;
  readonly tenantId?: string;
  readonly subject?: string;
}

export type ConsoleConfig =
  | { readonly mode: 'dev'; readonly personas: readonly Persona[] }
  | { readonly mode: 'oidc'; readonly oidc: { readonly issuer: string; readonly clientId: string; readonly scopes: string } }
  /** Neither: the API says what to configure. */
  | { readonly mode: 'none'; readonly message?: string };

export const loadConsoleConfig = async (): Promise<ConsoleConfig> => {
  const res = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`the console configuration is not available (${res.status})`);
  const config = (await res.json()) as ConsoleConfig;
  if (!['dev', 'oidc', 'none'].includes(config.mode)) throw new Error('the console configuration names no sign-in mode');
  return config;
};
