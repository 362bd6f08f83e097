// The plan of a library import, as infrastructure-as-code tools show one before they change
// anything: each definition and initiative of the folder is added, changed (a new version),
// unchanged, or refused with the reasons; files that hold something else are skipped with why.
// Validation is the library decider's own (the plan runs it on each artifact's current state), so
// what the plan accepts is what applying records. Pure: the caller reads the folder and the library.
import { isRejection, type Decision } from '@rampart/event-sourcing';
import type { LibraryEvent, LibraryMemberRef } from '../events';
import { contentSha256, initiativeMembersOf, readPolicyFile, stripJsonComments, type Artifact, type ArtifactKind } from './artifacts';
import { libraryDecider, membersKey, type LibraryArtifactState, type LibraryCommand } from './library';

export interface PolicyFile {
  /** Relative to the imported folder, with `/` separators. */
  readonly path: string;
  readonly text: string;
}

/** An artifact as the library holds it now. */
export interface LibraryEntry {
  readonly kind: ArtifactKind;
  readonly name: string;
  readonly version: number;
  readonly sha256: string;
  readonly retired: boolean;
  /** The stream's last revision. */
  readonly revision: number;
  /** Of the version now: what people see of it (absent where only the plan needs the entry). */
  readonly displayName?: string;
  readonly source?: string;
  readonly recordedAt?: string;
  readonly recordedBy?: string;
  /** An initiative's latest version: its content and members, which a new version of a member publishes again. */
  readonly initiative?: { readonly content: Record<string, unknown>; readonly members: readonly LibraryMemberRef[] };
}

export type LibraryIndex = ReadonlyMap<string, LibraryEntry>;
export const libraryKey = (kind: ArtifactKind, name: string): string => `${kind}:${name.toLowerCase()}`;

export type PlanAction = 'add' | 'change' | 'unchanged' | 'refused' | 'skipped';
export const PLAN_ACTIONS: readonly PlanAction[] = ['add', 'change', 'unchanged', 'refused', 'skipped'];

export interface PlanItem {
  /** `file` for what is not an artifact (unreadable JSON, an assignment, an unknown shape). */
  readonly kind: ArtifactKind | 'file';
  readonly name: string | null;
  readonly path: string;
  /** Where in the file, for a template with several resources. */
  readonly at: string;
  readonly action: PlanAction;
  /** The version it has after applying (add, change), or has now (unchanged). */
  readonly version: number | null;
  readonly reasons: readonly string[];
  /** What applying runs, for add and change. */
  readonly command?: LibraryCommand;
}

export interface ImportPlan {
  readonly items: readonly PlanItem[];
  readonly counts: Readonly<Record<PlanAction, number>>;
  /** Nothing refused: the plan may be applied. */
  readonly applicable: boolean;
}

export interface BuiltInDefinitions {
  has(name: string): boolean;
}

const stateOf = (entry: LibraryEntry | undefined): LibraryArtifactState =>
  entry
    ? { name: entry.name, version: entry.version, sha256: entry.sha256, retired: entry.retired, members: entry.initiative ? membersKey(entry.initiative.members) : null }
    : { name: null, version: 0, sha256: null, retired: false, members: null };

/** Members whose definition version differs from what the initiative's version now holds. */
const memberChanges = (entry: LibraryEntry | undefined, members: readonly LibraryMemberRef[]): string[] => {
  if (!entry?.initiative) return [];
  const before = new Map(entry.initiative.members.map((m) => [m.referenceId.toLowerCase(), m]));
  return members.flatMap((m) => {
    const was = before.get(m.referenceId.toLowerCase());
    if (m.source === 'built-in' || !was || was.source !== m.source || was.name.toLowerCase() !== m.name.toLowerCase() || was.version === m.version) return [];
    return [`member ${m.referenceId} evaluates ${m.name} version ${m.version}${was.version === undefined ? '' : ` (was ${was.version})`}`];
  });
};

/** What the decider's answer means for the plan. */
const judged = (decision: Decision<LibraryEvent>, entry: LibraryEntry | undefined): Pick<PlanItem, 'action' | 'version' | 'reasons'> => {
  if (isRejection(decision)) return { action: 'refused', version: entry?.version ?? null, reasons: [`${decision.code}${decision.message ? `: ${decision.message}` : ''}`] };
  if (decision.length === 0) return { action: 'unchanged', version: entry?.version ?? null, reasons: [] };
  const event = decision[0];
  const version = event.type === 'guardrails.LibraryArtifactRetired.v1' ? null : event.data.version;
  const reasons = entry?.retired ? [`brings back ${entry.kind} retired at version ${entry.version}`] : entry ? [`content changed since version ${entry.version}`] : [];
  return { action: entry ? 'change' : 'add', version, reasons };
};

/** A change of an initiative whose content is the same: say which members moved to which version. */
const withMemberReasons = (outcome: Pick<PlanItem, 'action' | 'version' | 'reasons'>, entry: LibraryEntry | undefined, command: LibraryCommand): Pick<PlanItem, 'action' | 'version' | 'reasons'> => {
  if (outcome.action !== 'change' || command.kind !== 'PublishInitiative' || entry?.retired) return outcome;
  const moved = memberChanges(entry, command.members);
  if (moved.length === 0) return outcome;
  const sameContent = entry?.sha256 === contentSha256(command.initiative);
  return { ...outcome, reasons: sameContent ? moved : [...outcome.reasons, ...moved] };
};

export interface PlanOptions {
  /** Whose library the files go into: the provider's (default), or a tenant's own. */
  readonly scope?: 'provider' | 'tenant';
  /** For a tenant's library: the provider's, whose live definitions its initiatives may hold too. */
  readonly provider?: LibraryIndex;
}

export const planLibraryImport = (files: readonly PolicyFile[], library: LibraryIndex, builtIns: BuiltInDefinitions, options: PlanOptions = {}): ImportPlan => {
  const own: LibraryMemberRef['source'] = options.scope === 'tenant' ? 'tenant' : 'library';
  const provider = options.scope === 'tenant' ? new Map([...(options.provider?.values() ?? [])].filter((e) => e.kind === 'definition' && !e.retired).map((e) => [e.name.toLowerCase(), e])) : new Map<string, LibraryEntry>();
  const items: PlanItem[] = [];
  const found: { artifact: Artifact; path: string }[] = [];

  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    let value: unknown;
    try {
      value = JSON.parse(stripJsonComments(file.text));
    } catch (error) {
      items.push({ kind: 'file', name: null, path: file.path, at: '', action: 'refused', version: null, reasons: [`not JSON: ${(error as Error).message}`] });
      continue;
    }
    const reading = readPolicyFile(file.path, value);
    for (const reason of reading.skipped) items.push({ kind: 'file', name: null, path: file.path, at: '', action: 'skipped', version: null, reasons: [reason] });
    if (reading.problems.length) items.push({ kind: 'file', name: null, path: file.path, at: '', action: 'refused', version: null, reasons: reading.problems });
    for (const artifact of reading.artifacts) found.push({ artifact, path: file.path });
  }

  // One name, one artifact: two files defining the same one would make the result depend on order.
  const byKey = new Map<string, typeof found>();
  for (const f of found) byKey.set(libraryKey(f.artifact.kind, f.artifact.name), [...(byKey.get(libraryKey(f.artifact.kind, f.artifact.name)) ?? []), f]);
  const where = (f: (typeof found)[number]) => `${f.path}${f.artifact.at ? ` ${f.artifact.at}` : ''}`;
  const unique = found.filter((f) => byKey.get(libraryKey(f.artifact.kind, f.artifact.name))?.length === 1);
  for (const [, group] of byKey) {
    if (group.length < 2) continue;
    for (const f of group) {
      items.push({
        kind: f.artifact.kind,
        name: f.artifact.name,
        path: f.path,
        at: f.artifact.at,
        action: 'refused',
        version: null,
        reasons: [`${f.artifact.kind} ${f.artifact.name} is defined more than once in the folder: ${group.map(where).join(', ')}`],
      });
    }
  }

  // Definitions first: initiatives may refer to them, and hold the version each will have.
  const usable = new Map([...library.values()].filter((e) => e.kind === 'definition' && !e.retired).map((e) => [e.name.toLowerCase(), e.version]));
  for (const { artifact, path } of unique.filter((f) => f.artifact.kind === 'definition')) {
    const entry = library.get(libraryKey('definition', artifact.name));
    const command: LibraryCommand = { kind: 'PublishDefinition', name: artifact.name, definition: artifact.content, source: artifact.at ? `${path}#${artifact.at}` : path };
    const outcome = judged(libraryDecider.decide(command, stateOf(entry)), entry);
    if (outcome.action === 'refused') usable.delete(artifact.name.toLowerCase());
    else usable.set(artifact.name.toLowerCase(), outcome.version ?? entry?.version ?? 1);
    items.push({ kind: 'definition', name: artifact.name, path, at: artifact.at, ...outcome, ...(outcome.action === 'add' || outcome.action === 'change' ? { command } : {}) });
  }

  for (const { artifact, path } of unique.filter((f) => f.artifact.kind === 'initiative')) {
    const entry = library.get(libraryKey('initiative', artifact.name));
    const members: LibraryMemberRef[] = [];
    const unresolved: string[] = [];
    for (const member of initiativeMembersOf(artifact).members) {
      const target = member.target;
      if ('unresolvable' in target) {
        unresolved.push(`member ${member.referenceId}: ${target.unresolvable}`);
      } else if (target.source === 'built-in-or-library' && builtIns.has(target.name.toLowerCase())) {
        members.push({ referenceId: member.referenceId, source: 'built-in', name: target.name.toLowerCase() });
      } else if (usable.has(target.name.toLowerCase())) {
        members.push({ referenceId: member.referenceId, source: own, name: target.name, version: usable.get(target.name.toLowerCase()) });
      } else if (provider.has(target.name.toLowerCase())) {
        const entry = provider.get(target.name.toLowerCase()) as LibraryEntry;
        members.push({ referenceId: member.referenceId, source: 'library', name: entry.name, version: entry.version });
      } else {
        unresolved.push(
          `member ${member.referenceId} references the definition ${target.name}, which is neither one of Azure's built-ins nor in the ${own === 'tenant' ? "tenant's library or the provider's" : 'library'} (nor importable from this folder)`,
        );
      }
    }
    const command: LibraryCommand = { kind: 'PublishInitiative', name: artifact.name, initiative: artifact.content, members, source: artifact.at ? `${path}#${artifact.at}` : path };
    const decided = withMemberReasons(judged(libraryDecider.decide(command, stateOf(entry)), entry), entry, command);
    // The shape's own problems first (the decider's), then what does not resolve.
    const outcome =
      unresolved.length === 0
        ? decided
        : { action: 'refused' as const, version: entry?.version ?? null, reasons: [...(decided.action === 'refused' ? decided.reasons.filter((r) => !r.startsWith('unresolved-member')) : []), ...unresolved] };
    items.push({ kind: 'initiative', name: artifact.name, path, at: artifact.at, ...outcome, ...(outcome.action === 'add' || outcome.action === 'change' ? { command } : {}) });
  }

  // Initiatives of the library the folder does not hold, whose library members get a new version:
  // each gets a new version too, its content as it is, so it evaluates the new definitions.
  const republished = new Set(items.filter((i) => i.kind === 'definition' && (i.action === 'add' || i.action === 'change') && i.name).map((i) => (i.name as string).toLowerCase()));
  const inFolder = new Set(unique.filter((f) => f.artifact.kind === 'initiative').map((f) => f.artifact.name.toLowerCase()));
  for (const entry of [...library.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.kind !== 'initiative' || entry.retired || !entry.initiative || inFolder.has(entry.name.toLowerCase())) continue;
    const members = entry.initiative.members.map((m) => (m.source === own && republished.has(m.name.toLowerCase()) ? { ...m, version: usable.get(m.name.toLowerCase()) } : m));
    if (memberChanges(entry, members).length === 0) continue;
    const command: LibraryCommand = { kind: 'PublishInitiative', name: entry.name, initiative: entry.initiative.content, members, source: entry.source ?? '' };
    const outcome = withMemberReasons(judged(libraryDecider.decide(command, stateOf(entry)), entry), entry, command);
    items.push({ kind: 'initiative', name: entry.name, path: entry.source ?? '', at: '', ...outcome, reasons: ['in the library, not in this folder', ...outcome.reasons], ...(outcome.action === 'change' ? { command } : {}) });
  }

  const counts = Object.fromEntries(PLAN_ACTIONS.map((a) => [a, items.filter((i) => i.action === a).length])) as Record<PlanAction, number>;
  return { items, counts, applicable: counts.refused === 0 };
};
