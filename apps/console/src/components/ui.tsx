// The console's small set of building blocks: page header (focus moves to it on navigation),
// error and loading states, badges that say in words what their colour says.
import { useEffect, useRef, type ReactNode } from 'react';
import { describeError, type ApiError } from '../api/errors';
import { navigatedInApp } from '../router/router';

export const PageHeader = ({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) => {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Rampart`;
    // After client-side navigation, keyboard and screen-reader users start at the new page's title
    // (unless they are somewhere on purpose, like a filter of the page).
    const active = document.activeElement;
    if (navigatedInApp() && (!active || active === document.body || active.closest('nav, .app-header, .sign-in'))) ref.current?.focus();
  }, [title]);
  return (
    <header className="page-header">
      <div>
        <h1 ref={ref} tabIndex={-1}>
          {title}
        </h1>
        {subtitle ? <p className="page-subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
};

export const Loading = ({ what }: { what: string }) => (
  <p className="loading" role="status">
    Loading {what}…
  </p>
);

/**
 * What went wrong, in words. A refusal for a tenant names it and shows nothing else: that is what a
 * tampered URL gets.
 */
export const ErrorPanel = ({ error, tenantId, onRetry }: { error: ApiError; tenantId?: string; onRetry?: () => void }) => {
  if (error.kind === 'forbidden') {
    return (
      <section className="notice notice-error" role="alert" aria-labelledby="forbidden-title">
        <h2 id="forbidden-title">{tenantId ? `You are not allowed to see tenant ${tenantId}` : 'You are not allowed to see this'}</h2>
        <p>Your sign-in does not give you access to {tenantId ? 'this tenant' : 'this page'}. If you need it, ask your administrator for a role on it.</p>
      </section>
    );
  }
  return (
    <section className="notice notice-error" role="alert">
      <h2>{error.kind === 'network' ? 'Cannot reach the API' : error.kind === 'unauthenticated' ? 'Signed out' : 'This could not be loaded'}</h2>
      <p>{describeError(error)}</p>
      {onRetry && error.kind !== 'unauthenticated' ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </section>
  );
};

export const NotFound = ({ what }: { what: string }) => (
  <section className="notice" role="alert">
    <h2>Not found</h2>
    <p>{what} does not exist, or no longer does.</p>
  </section>
);

const tone = (value: string): string => {
  switch (value) {
    case 'critical':
    case 'breached':
    case 'nonCompliant':
    case 'failed':
      return 'danger';
    case 'high':
    case 'at-risk':
    case 'error':
    case 'notEvaluable':
    case 'proposed':
    case 'requested':
    case 'pending':
      return 'warning';
    case 'medium':
    case 'manual':
    case 'executing':
    case 'approved':
    case 'running':
      return 'info';
    case 'ok':
    case 'compliant':
    case 'passed':
    case 'attested':
    case 'succeeded':
    case 'active':
    case 'resolved':
    case 'closed':
      return 'success';
    default:
      return 'neutral';
  }
};

const LABELS: Record<string, string> = { nonCompliant: 'non-compliant', 'at-risk': 'at risk', ok: 'SLA ok', notEvaluable: 'not evaluable', notApplicable: 'not applicable' };

/** A label with a colour; the text carries the meaning (colour is never the only cue). */
export const Badge = ({ value, label, prefix }: { value: string; label?: string; prefix?: string }) => (
  <span className={`badge badge-${tone(value)}`}>
    {prefix ? <span className="visually-hidden">{prefix}: </span> : null}
    {label ?? LABELS[value] ?? value}
  </span>
);

export const Stat = ({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) => (
  <div className="stat">
    <dt>{label}</dt>
    <dd>
      <span className="stat-value">{value}</span>
      {detail ? <span className="stat-detail">{detail}</span> : null}
    </dd>
  </div>
);

/** An announcement for screen readers (live updates, results of actions). */
export const LiveMessage = ({ message, tone: kind = 'info' }: { message?: string; tone?: 'info' | 'success' | 'error' }) => (
  <p className={`live-message ${message ? `live-${kind}` : 'visually-hidden'}`} role={kind === 'error' ? 'alert' : 'status'}>
    {message ?? ''}
  </p>
);

export const Field = ({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) => (
  <div className="field">
    <label htmlFor={id}>{label}</label>
    {children}
    {hint ? (
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
    ) : null}
  </div>
);
