import type { TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';

/**
 * Credentials are named, never carried: an event or a tenant record stores a reference such as
 * `contoso`, and the secret itself lives in this process's configuration
 * (`RAMPART_AZURE_CREDENTIAL_CONTOSO_TENANT_ID`, `..._CLIENT_ID`, `..._CLIENT_SECRET`).
 */
export const CREDENTIAL_ENV_PREFIX = 'RAMPART_AZURE_CREDENTIAL_';

/** The reference that selects the ambient identity of the process (DefaultAzureCredential). */
export const DEFAULT_CREDENTIAL_REFERENCE = 'default';

export class CredentialConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialConfigurationError';
  }
}

/** The environment variable names a reference reads, e.g. `contoso` → `RAMPART_AZURE_CREDENTIAL_CONTOSO_*`. */
export function credentialVariableNames(reference: string): { tenantId: string; clientId: string; clientSecret: string } {
  const prefix = `${CREDENTIAL_ENV_PREFIX}${referenceKey(reference)}_`;
  return { tenantId: `${prefix}TENANT_ID`, clientId: `${prefix}CLIENT_ID`, clientSecret: `${prefix}CLIENT_SECRET` };
}

/**
 * Resolves a credential reference against configuration:
 * - `default` → `DefaultAzureCredential` (the process's ambient identity);
 * - `<name>` with `_TENANT_ID`, `_CLIENT_ID` and `_CLIENT_SECRET` → `ClientSecretCredential`;
 * - `<name>` with only `_CLIENT_ID` (optionally `_TENANT_ID`) → `DefaultAzureCredential` with that client id
 *   for its managed identity and workload identity members (user-assigned managed identity or federated
 *   workload identity).
 * Errors name the missing variable and never contain a secret value.
 */
export function credentialFromReference(reference: string, env: Record<string, string | undefined>): TokenCredential {
  if (reference.trim().toLowerCase() === DEFAULT_CREDENTIAL_REFERENCE) {
    return new DefaultAzureCredential();
  }
  const names = credentialVariableNames(reference);
  const tenantId = value(env, names.tenantId);
  const clientId = value(env, names.clientId);
  const clientSecret = value(env, names.clientSecret);

  if (clientSecret !== undefined) {
    const missing = [tenantId === undefined && names.tenantId, clientId === undefined && names.clientId].filter(
      (name): name is string => typeof name === 'string',
    );
    if (missing.length > 0) {
      throw new CredentialConfigurationError(
        `Azure credential '${reference}': ${names.clientSecret} is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
      );
    }
    return new ClientSecretCredential(tenantId as string, clientId as string, clientSecret);
  }
  if (clientId !== undefined) {
    return new DefaultAzureCredential({
      ...(tenantId !== undefined ? { tenantId } : {}),
      managedIdentityClientId: clientId,
      workloadIdentityClientId: clientId,
    });
  }
  throw new CredentialConfigurationError(
    `Azure credential '${reference}' is not configured: set ${names.clientId} ` +
      `(managed or workload identity), or ${names.tenantId}, ${names.clientId} and ${names.clientSecret} (client secret)`,
  );
}

function referenceKey(reference: string): string {
  const trimmed = reference.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(trimmed)) {
    throw new CredentialConfigurationError(
      `Azure credential reference '${reference.slice(0, 64)}' is invalid: use letters, digits, '-' and '_'`,
    );
  }
  return trimmed.toUpperCase().replace(/-/g, '_');
}

function value(env: Record<string, string | undefined>, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}
