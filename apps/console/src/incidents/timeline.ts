// An incident's timeline for people: every entry sorted into what it is about (posture, alert,
// action, comment, the incident's own lifecycle) with a one-line summary of its data.
import { humanizeEventType, resourceName } from '../format';
import type { TimelineEntry } from '../api/operations';

export type TimelineCategory = 'posture' | 'alert' | 'action' | 'comment' | 'incident';

export const TIMELINE_CATEGORIES: readonly { key: TimelineCategory; label: string }[] = [
  { key: 'incident', label: 'Incident' },
  { key: 'posture', label: 'Posture changes' },
  { key: 'alert', label: 'Alerts' },
  { key: 'action', label: 'Actions' },
  { key: 'comment', label: 'Comments' },
];

const parse = (data: string): Record<string, unknown> => {
  try {
    const value = JSON.parse(data) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const STATE_WORDS: Record<string, string> = { compliant: 'compliant', nonCompliant: 'non-compliant', error: 'not evaluable', exempt: 'exempt', notApplicable: 'not applicable' };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const categorize = (entry: Pick<TimelineEntry, 'type' | 'data'>): TimelineCategory => {
  const [context, name = ''] = entry.type.split('.');
  if (context === 'guardrails' || context === 'inventory') return 'posture';
  if (name.startsWith('Action')) return 'action';
  if (name === 'CommentAdded') return 'comment';
  if (name === 'SignalAttached' || name === 'IncidentOpened') {
    const signal = parse(entry.data)['signal'] as { kind?: string } | undefined;
    if (signal?.kind === 'alert') return 'alert';
  }
  return 'incident';
};

/** One line on what the entry says (the raw data stays available next to it). */
export const summarize = (entry: Pick<TimelineEntry, 'type' | 'data'>): string => {
  const d = parse(entry.data);
  const name = entry.type.split('.')[1] ?? entry.type;
  const signal = d['signal'] as { title?: string; kind?: string } | undefined;
  const resource = str(d['resourceId']) ?? str(d['id']);
  switch (name) {
    case 'IncidentOpened':
      return `Opened: ${str(d['title']) ?? signal?.title ?? ''}${d['severity'] ? ` (${String(d['severity'])})` : ''}`;
    case 'SignalAttached':
      return `${signal?.kind === 'alert' ? 'Alert' : 'Signal'} attached: ${signal?.title ?? ''}`;
    case 'IncidentTriaged':
      return `Triaged as ${String(d['severity'])}, assigned to ${String(d['assignee'])}`;
    case 'IncidentReassigned':
      return `Reassigned to ${String(d['assignee'])}`;
    case 'IncidentResponseStarted':
    case 'IncidentContained':
    case 'IncidentRemediated':
    case 'IncidentRecovered':
      return `${humanizeEventType(entry.type)}: ${str(d['summary']) ?? ''}`;
    case 'IncidentClosed':
      return `Closed as ${String(d['classification'])}: ${str(d['reason']) ?? ''}`;
    case 'PreventionProposed':
      return `Prevention proposed${d['guardrailId'] ? ` for ${String(d['guardrailId'])}` : ''}: ${str(d['change']) ?? ''}`;
    case 'CommentAdded':
      return str(d['text']) ?? '';
    case 'SlaBreached':
      return `SLA target "${String(d['target'])}" missed (due ${String(d['dueAt'])})`;
    case 'ActionProposed':
      return `Action proposed: ${str(d['actionKind']) ?? ''}${d['target'] ? ` on ${resourceName(String(d['target']))}` : ''}${d['destructive'] ? ' (destructive)' : ''}`;
    case 'ActionApproved':
      return `Action approved by ${String(d['approvedBy'])}${d['preApproved'] ? ' (pre-approved by tenant policy)' : ''}`;
    case 'ActionExecutionStarted':
      return `Action execution started (${String(d['executor'])})`;
    case 'ActionSucceeded':
      return `Action succeeded: ${str(d['outcome']) ?? ''}`;
    case 'ActionFailed':
      return `Action failed${d['uncertain'] ? ' (outcome uncertain)' : ''}: ${str(d['reason']) ?? ''}`;
    case 'ActionVerified':
      return `Action verified: ${str(d['evidence']) ?? ''}`;
    case 'ActionCancelled':
      return `Action cancelled: ${str(d['reason']) ?? ''}`;
    case 'ActionExpired':
      return `Action expired unapproved at ${String(d['expiredAt'])}`;
    case 'FindingOpened':
      return `Finding opened: ${str(d['title']) ?? str(d['guardrailId']) ?? ''}${resource ? ` on ${resourceName(resource)}` : ''}`;
    case 'FindingResolved':
      return `Finding resolved${d['resolution'] ? ` (${String(d['resolution'])})` : ''}${resource ? ` on ${resourceName(resource)}` : ''}`;
    case 'ComplianceStateChanged':
      return `${str(d['guardrailId']) ?? 'Guardrail'}: ${STATE_WORDS[String(d['from'])] ?? 'not evaluated'} → ${STATE_WORDS[String(d['to'])] ?? String(d['to'])}${resource ? ` on ${resourceName(resource)}` : ''}`;
    case 'ResourceConfigurationChanged':
      return `Configuration changed${resource ? `: ${resourceName(resource)}` : ''}`;
    default:
      return `${humanizeEventType(entry.type)}${resource ? `: ${resourceName(resource)}` : ''}`;
  }
};
