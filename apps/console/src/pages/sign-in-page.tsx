// Signing in: a development persona with a sign-in code (`npm start` prints one; it signs in once,
// within 15 minutes, and `npx rampart dev sign-in-link` gives the next), or the organisation's
// identity provider (OIDC authorization code + PKCE).
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, describeError } from '../api/errors';
import type { ConsoleConfig } from '../auth/config';
import { devSignIn, startOidcSignIn } from '../auth/sign-in';
import { storedDevCode, storedReturnTo, storeDevCode } from '../auth/storage';
import { useSession } from '../session';

const NEW_CODE = (
  <>
    For a new one, run <code>npx rampart dev sign-in-link</code> where Rampart runs and open the address it prints.
  </>
);

/** What went wrong with the code, and what to do about it. */
const signInProblem = (error: unknown): ReactNode => {
  if (!(error instanceof ApiError)) return (error as Error).message;
  if (error.kind !== 'unauthenticated') return describeError(error);
  switch (error.details.reason) {
    case 'sign-in-code-expired':
      return <>This sign-in code has expired: a code signs in once, within 15 minutes. {NEW_CODE}</>;
    case 'sign-in-code-used':
      return <>This sign-in code was already used: a code signs in once. {NEW_CODE}</>;
    default:
      return (
        <>
          That sign-in code is not right. Open the address <code>npm start</code> printed, or run <code>npx rampart dev sign-in-link</code> for a new one.
        </>
      );
  }
};

const DevSignIn = ({ config }: { config: Extract<ConsoleConfig, { mode: 'dev' }> }) => {
  const { signIn } = useSession();
  const [code, setCode] = useState(() => storedDevCode() ?? '');
  const [persona, setPersona] = useState(config.personas[0]?.id ?? '');
  const [error, setError] = useState<ReactNode>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = config.personas.find((p) => p.id === persona);
    if (!chosen) return setError('Choose who to sign in as.');
    if (!code.trim()) return setError(<>Enter a sign-in code. {NEW_CODE}</>);
    setBusy(true);
    setError(undefined);
    try {
      storeDevCode(code.trim());
      const session = await devSignIn(code.trim(), chosen);
      // Spent: the next sign-in of this tab needs a new code.
      storeDevCode(undefined);
      await signIn(session);
    } catch (e) {
      setError(signInProblem(e));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="sign-in-form" aria-describedby="dev-explainer">
      <p id="dev-explainer">
        This deployment runs the <strong>development issuer</strong>: choose a demo persona. Every page then calls the GraphQL API with that persona&apos;s token, exactly as a
        real sign-in would.
      </p>
      <div className="field">
        <label htmlFor="sign-in-code">Sign-in code</label>
        <input
          id="sign-in-code"
          name="code"
          type="password"
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-describedby="sign-in-code-hint"
          required
        />
        <p className="hint" id="sign-in-code-hint">
          Filled in when you open the address <code>npm start</code> printed (<code>?code=…</code>). A code signs in once, within 15 minutes; for a new one run{' '}
          <code>npx rampart dev sign-in-link</code>.
        </p>
      </div>
      <fieldset className="personas">
        <legend>Sign in as</legend>
        {config.personas.map((p) => (
          <div key={p.id} className="persona">
            <input type="radio" id={`persona-${p.id}`} name="persona" value={p.id} checked={persona === p.id} onChange={() => setPersona(p.id)} />
            <label htmlFor={`persona-${p.id}`}>
              <span className="persona-label">{p.label}</span>
              <span className="persona-detail">
                {p.role}
                {p.socTeam ? ` · team ${p.socTeam}` : ''}
                {p.tenantId ? ` · ${p.tenantId}` : ''}
                {p.subject ? ` · ${p.subject}` : ''}
              </span>
            </label>
          </div>
        ))}
      </fieldset>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
};

const OidcSignIn = ({ config }: { config: Extract<ConsoleConfig, { mode: 'oidc' }> }) => {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      await startOidcSignIn(config.oidc, storedReturnTo() ?? '/');
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="sign-in-form">
      <p>Sign in with your organisation&apos;s account. You will come back here once signed in.</p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" className="button button-primary" onClick={go} disabled={busy}>
        {busy ? 'Redirecting…' : 'Sign in with your organisation'}
      </button>
    </div>
  );
};

export const SignInPage = ({ config, notice }: { config: ConsoleConfig; notice?: string }) => {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Rampart';
    heading.current?.focus();
  }, []);
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">◆</span> Rampart
        </p>
        <h1 ref={heading} tabIndex={-1}>
          Sign in to the Rampart console
        </h1>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {config.mode === 'dev' ? (
          <DevSignIn config={config} />
        ) : config.mode === 'oidc' ? (
          <OidcSignIn config={config} />
        ) : (
          <p className="notice notice-error" role="alert">
            No sign-in is configured for the console{config.message ? `: ${config.message}` : '.'}
          </p>
        )}
      </div>
    </main>
  );
};
