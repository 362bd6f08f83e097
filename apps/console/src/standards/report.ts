// A standard's compliance as a CSV report, one row per control: what an auditor or a customer's
// risk team files, opens in a spreadsheet, or compares between two instants.
import type { ControlCompliance } from '../api/operations';

export const REPORT_COLUMNS = [
  'standard',
  'as_of',
  'control',
  'title',
  'domain',
  'state',
  'resources_passed',
  'resources_failed',
  'resources_not_applicable',
  'resources_not_evaluable',
  'resources_exempt',
  'policy_definitions',
  'failing_resources',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a separator, quote or line break. A cell a
 * spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is prefixed with a
 * quote mark: a resource or control name is data from the tenant's cloud, never a formula.
 */
export const csvCell = (value: string | number | null | undefined): string => {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const standardReportCsv = (standardTitle: string, asOf: string, controls: readonly ControlCompliance[]): string => {
  const rows = controls.map((c) => [
    standardTitle,
    asOf,
    c.controlId,
    c.title,
    c.domain ?? '',
    c.state,
    c.resources.passed,
    c.resources.failed,
    c.resources.notApplicable,
    c.resources.notEvaluable,
    c.resources.exempt,
    c.definitions.total,
    c.failingResources.map((r) => r.resourceId).join('; '),
  ]);
  return [REPORT_COLUMNS as readonly string[], ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
};
