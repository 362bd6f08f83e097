// Report mode (RAMPART_FUZZ_REPORT=<file>): every failing input is kept instead of failing at the
// first, each new kind of failure is cut down to a minimal reproduction (the hostile value alone on
// the simplest valid variables, optional values left out, the smallest document), and the file
// lists the distinct failures grouped by operation, check, hostile slot and server-side cause.
import { writeFileSync } from 'node:fs';
import type { Check, Problem } from './oracle';
import { truncateValue } from './oracle';
import type { Mutation } from './values';

export interface Repro {
  readonly query: string;
  readonly variables: unknown;
  readonly role: string;
  /** How it was cut down, and whether the cut-down input still failed the same way. */
  readonly how: string;
  readonly reproduced: boolean;
}

export interface FailureRecord {
  readonly operation: string;
  readonly role: string;
  readonly check: Check;
  readonly detail: string;
  readonly mutations: readonly { path: string; label: string }[];
  readonly variables: unknown;
  readonly answer: string;
  readonly serverError?: string;
  readonly cause: string;
}

interface Group {
  readonly key: string;
  readonly operation: string;
  readonly check: Check;
  /** The slot whose hostile value fails alone ('baseline' when no single one does). */
  readonly culprit: string;
  readonly cause: string;
  count: number;
  readonly roles: Set<string>;
  readonly labels: Set<string>;
  readonly example: FailureRecord;
  repro?: Repro;
}

/** Control characters and lone surrogates as '?', so a cause prints and groups cleanly. */
const printable = (text: string) =>
  Array.from(text, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0xd800 && code <= 0xdfff) ? '?' : ch;
  }).join('');

/** Cause text without what varies between inputs: ids, numbers, long quoted values. */
export const normalizeCause = (text: string): string =>
  printable(text)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/fuzz-\d+/g, 'fuzz-<n>')
    .replace(/"[^"]{40,}"/g, '"<long>"')
    .replace(/\d+/g, 'N')
    .slice(0, 220);

/** The text with the strings the request sent replaced by <input>, so echoed values do not split causes. */
export const scrubInputs = (text: string, variables: unknown): string => {
  const strings = new Set<string>();
  const walk = (v: unknown) => {
    if (strings.size > 200) return;
    if (typeof v === 'string') strings.add(v);
    else if (Array.isArray(v)) v.slice(0, 20).forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(variables);
  let out = text;
  for (const s of [...strings].sort((a, b) => b.length - a.length)) {
    out = out.split(`"${s}"`).join('"<input>"');
    if (s.trim().length >= 4) out = out.split(s).join('<input>');
  }
  return out;
};

export const pathText = (path: readonly string[]) => path.join('.');

export class FuzzReport {
  readonly failures: FailureRecord[] = [];
  private readonly groups = new Map<string, Group>();
  /** Failures already cut down: operation|check|slots|cause -> the culprit found. */
  private readonly minimized = new Map<string, { culprit: string; repro?: Repro }>();
  private minimizationBudget: number;

  constructor(
    private readonly file: string,
    budget = 1_000,
  ) {
    this.minimizationBudget = budget;
  }

  /** Spends `n` requests of the minimization budget; false when it is used up. */
  spend(n: number): boolean {
    if (this.minimizationBudget < n) return false;
    this.minimizationBudget -= n;
    return true;
  }

  async record(
    failure: Omit<FailureRecord, 'cause'>,
    cause: string,
    rawMutations: readonly Mutation[],
    minimize: (check: Check, cause: string) => Promise<{ culprit: string; repro?: Repro }>,
  ): Promise<void> {
    const full: FailureRecord = { ...failure, cause };
    this.failures.push(full);
    const slots = rawMutations.map((m) => pathText(m.path)).sort().join('+') || 'baseline';
    const signature = `${failure.operation}|${failure.check}|${slots}|${cause}`;
    let found = this.minimized.get(signature);
    if (!found) {
      found = await minimize(failure.check, cause);
      this.minimized.set(signature, found);
    }
    const key = `${failure.operation}|${failure.check}|${found.culprit}|${cause}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { key, operation: failure.operation, check: failure.check, culprit: found.culprit, cause, count: 0, roles: new Set(), labels: new Set(), example: full, repro: found.repro };
      this.groups.set(key, group);
    }
    group.count++;
    group.roles.add(failure.role);
    for (const m of failure.mutations) if (found.culprit === 'baseline' || m.path === found.culprit) group.labels.add(m.label);
    if (!group.repro && found.repro) group.repro = found.repro;
  }

  write(meta: Record<string, unknown>): void {
    const groups = [...this.groups.values()]
      .sort((a, b) => a.cause.localeCompare(b.cause) || a.operation.localeCompare(b.operation))
      .map((g) => ({
        operation: g.operation,
        check: g.check,
        slot: g.culprit,
        cause: g.cause,
        count: g.count,
        roles: [...g.roles].sort(),
        hostileLabels: [...g.labels].sort(),
        minimal: g.repro,
        example: g.example,
      }));
    const byCause: Record<string, { checks: string[]; operations: string[] }> = {};
    for (const g of groups) {
      const c = (byCause[`${g.check}: ${g.cause}`] ??= { checks: [], operations: [] });
      const op = `${g.operation} (${g.slot})`;
      if (!c.operations.includes(op)) c.operations.push(op);
    }
    writeFileSync(
      this.file,
      JSON.stringify({ ...meta, distinctFailures: groups.length, failingInputs: this.failures.length, byCause, groups, failures: this.failures.map((f) => ({ ...f, variables: truncateValue(f.variables, 80) })) }, null, 2),
    );
  }
}

/** The same kind of failure: the check, and for internal errors the same cause. */
export const sameFailure = (problems: readonly Problem[], check: Check, cause: string, causeOf: (p: Problem) => string): boolean =>
  problems.some((p) => p.check === check && (check !== 'internal-error' || normalizeCause(causeOf(p)) === cause));
