import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { CredentialConfigurationError, credentialFromReference, credentialVariableNames } from './credentials';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET = 'very-secret-value-never-printed';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('credentialFromReference', () => {
  it('maps a reference to RAMPART_AZURE_CREDENTIAL_<NAME>_* variables', () => {
    expect(credentialVariableNames('contoso')).toEqual({
      tenantId: 'RAMPART_AZURE_CREDENTIAL_CONTOSO_TENANT_ID',
      clientId: 'RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_ID',
      clientSecret: 'RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_SECRET',
    });
    expect(credentialVariableNames('fabrikam-eu').clientId).toBe('RAMPART_AZURE_CREDENTIAL_FABRIKAM_EU_CLIENT_ID');
  });

  it('builds a ClientSecretCredential from tenant, client id and secret', () => {
    const credential = credentialFromReference('contoso', {
      RAMPART_AZURE_CREDENTIAL_CONTOSO_TENANT_ID: TENANT,
      RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_ID: CLIENT,
      RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_SECRET: SECRET,
    });
    expect(credential).toBeInstanceOf(ClientSecretCredential);
  });

  it('uses DefaultAzureCredential (managed / workload identity) when only the client id is set', () => {
    const credential = credentialFromReference('contoso', { RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_ID: CLIENT });
    expect(credential).toBeInstanceOf(DefaultAzureCredential);
  });

  it('uses DefaultAzureCredential for the reference "default"', () => {
    expect(credentialFromReference('default', {})).toBeInstanceOf(DefaultAzureCredential);
  });

  it('names the missing variables when a secret is set without tenant and client id, without printing the secret', () => {
    const error = thrown(() =>
      credentialFromReference('contoso', { RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_SECRET: SECRET }),
    );
    expect(error).toBeInstanceOf(CredentialConfigurationError);
    expect(error.message).toContain('RAMPART_AZURE_CREDENTIAL_CONTOSO_TENANT_ID and RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_ID are missing');
    expect(error.message).not.toContain(SECRET);
  });

  it('names the one missing variable', () => {
    const error = thrown(() =>
      credentialFromReference('contoso', {
        RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_ID: CLIENT,
        RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_SECRET: SECRET,
      }),
    );
    expect(error.message).toContain('RAMPART_AZURE_CREDENTIAL_CONTOSO_TENANT_ID is missing');
    expect(error.message).not.toContain(SECRET);
  });

  it('explains what to set for an unconfigured reference; blank values count as unset', () => {
    const error = thrown(() => credentialFromReference('contoso', { RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_ID: '  ' }));
    expect(error).toBeInstanceOf(CredentialConfigurationError);
    expect(error.message).toMatch(/'contoso' is not configured: set RAMPART_AZURE_CREDENTIAL_CONTOSO_CLIENT_ID/);
  });

  it('rejects references that are not simple names', () => {
    expect(() => credentialFromReference('../etc', {})).toThrow(CredentialConfigurationError);
    expect(() => credentialFromReference('', {})).toThrow(/invalid/);
  });
});
