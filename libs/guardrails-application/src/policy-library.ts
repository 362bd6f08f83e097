// The policy library's use cases: read a folder of policy files, plan the import against what the
// library holds, and apply a plan that nothing refuses, all of it or none (one atomic append where
// the store has it). The CLI calls these; the API will too, so the rules hold once.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fold, handleCommand, handleCommands, providerStreamPrefix, type CommandOutcome, PROVIDER_SCOPE, START, type CommandContext, type EventStore, type RecordedEvent } from '@rampart/event-sourcing';
import {
  builtInDefinition,
  isLibraryEvent,
  libraryDecider,
  libraryKey,
  libraryStreamId,
  planLibraryImport,
  type ArtifactKind,
  type ImportPlan,
  type LibraryEntry,
  type LibraryEvent,
  type LibraryIndex,
  type LibraryMemberRef,
  type PolicyFile,
} from '@rampart/guardrails';

/** Bounds on what one import reads: a library is hundreds of files of a few kilobytes, not a disk. */
export const IMPORT_LIMITS = { maxFiles: 5_000, maxFileBytes: 4 * 1024 * 1024 } as const;

export class PolicyImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyImportError';
  }
}

/** Every .json and .jsonc file under the folder (hidden folders and node_modules aside), by path. */
export const readPolicyFolder = async (dir: string): Promise<PolicyFile[]> => {
  const root = dir;
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new PolicyImportError(`${dir} does not exist`);
  const files: PolicyFile[] = [];
  const visit = async (path: string): Promise<void> => {
    const entries = await readdir(path, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') await visit(full);
      } else if (entry.isFile() && /\.jsonc?$/i.test(entry.name)) {
        if (files.length >= IMPORT_LIMITS.maxFiles) throw new PolicyImportError(`${dir} holds more than ${IMPORT_LIMITS.maxFiles} policy files: import its folders one at a time`);
        const size = (await stat(full)).size;
        if (size > IMPORT_LIMITS.maxFileBytes) throw new PolicyImportError(`${relative(root, full)} is ${size} bytes; a policy file is at most ${IMPORT_LIMITS.maxFileBytes}`);
        files.push({ path: relative(root, full).split(sep).join('/'), text: await readFile(full, 'utf8') });
      }
    }
  };
  if (info.isDirectory()) await visit(root);
  else files.push({ path: root.replace(/^.*[\\/]/, ''), text: await readFile(root, 'utf8') });
  return files;
};

/** What the library holds now: every artifact's latest version, from the provider's library streams. */
export const loadLibrary = async (store: EventStore): Promise<LibraryIndex> => {
  const byStream = new Map<string, RecordedEvent[]>();
  for (let from = START; ; ) {
    const page = await store.readAll({ from, filter: { streamPrefixes: [`${providerStreamPrefix()}library-`] }, maxCount: 2_000 });
    for (const event of page.events) {
      if (!isLibraryEvent(event)) continue;
      byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    }
    if (page.isEnd) break;
    from = page.position;
  }
  const index = new Map<string, LibraryEntry>();
  for (const [streamId, events] of byStream) {
    const state = fold(libraryDecider, events as unknown as LibraryEvent[]);
    const kind: ArtifactKind = streamId.includes(':library-initiative-') ? 'initiative' : 'definition';
    if (!state.name || state.sha256 === null) continue;
    const published = [...events].reverse().find((e) => e.type !== 'guardrails.LibraryArtifactRetired.v1');
    const data = published?.data as { displayName?: string; source?: string; initiative?: Record<string, unknown>; members?: LibraryMemberRef[] } | undefined;
    index.set(libraryKey(kind, state.name), {
      kind,
      name: state.name,
      version: state.version,
      sha256: state.sha256,
      retired: state.retired,
      revision: events[events.length - 1].revision,
      displayName: data?.displayName,
      source: data?.source,
      recordedAt: published?.recordedAt,
      recordedBy: published?.metadata.actor.id,
      ...(kind === 'initiative' && data?.initiative && data.members ? { initiative: { content: data.initiative, members: data.members } } : {}),
    });
  }
  return index;
};

const builtIns = { has: (name: string) => builtInDefinition(name) !== undefined };

/** The plan of importing these files into the library as it is now. */
export const planPolicyImport = async (store: EventStore, files: readonly PolicyFile[]): Promise<ImportPlan> => planLibraryImport(files, await loadLibrary(store), builtIns);

export interface AppliedImport {
  readonly plan: ImportPlan;
  /** Artifacts recorded (added or changed). */
  readonly recorded: number;
}

/**
 * Plans and applies in one go, so what is applied is what was just planned. A plan with a refused
 * item applies nothing; otherwise every add and change is recorded in one batch (one transaction
 * where the store appends to several streams atomically). Each artifact is decided again against
 * its stream as it is then: versions are content, so a change someone made meanwhile is either the
 * same content (nothing recorded) or the files' content becomes a new version after it, never lost.
 */
export const applyPolicyImport = async (store: EventStore, files: readonly PolicyFile[], context: Omit<CommandContext, 'tenantId'>): Promise<AppliedImport> => {
  const plan = await planPolicyImport(store, files);
  if (!plan.applicable) throw new PolicyImportError(`the plan refuses ${plan.counts.refused} item${plan.counts.refused === 1 ? '' : 's'}: nothing was applied (fix or remove them, then import again)`);
  const changes = plan.items.filter((i) => i.command && (i.action === 'add' || i.action === 'change'));
  if (changes.length === 0) return { plan, recorded: 0 };
  const ctx: CommandContext = { ...context, tenantId: PROVIDER_SCOPE };
  const outcomes = await handleCommands(
    store,
    libraryDecider,
    changes.flatMap((item) => (item.command ? [{ streamId: libraryStreamId(item.kind as ArtifactKind, item.name as string), command: item.command, ctx }] : [])),
  );
  const refused = outcomes.flatMap((o, i) => (o.ok ? [] : [`${changes[i].kind} ${changes[i].name}: ${o.rejection.code}${o.rejection.message ? `: ${o.rejection.message}` : ''}`]));
  if (refused.length) throw new PolicyImportError(`the library changed while importing; plan again:\n${refused.join('\n')}`);
  return { plan, recorded: outcomes.filter((o) => o.ok && o.events.length > 0).length };
};

export interface LibraryArtifactVersion {
  readonly version: number;
  readonly sha256: string;
  readonly displayName: string;
  readonly source: string;
  /** The definition or initiative as imported. */
  readonly content: Record<string, unknown>;
  /** An initiative's members: the definitions they evaluate, and a library definition's version. */
  readonly members?: readonly LibraryMemberRef[];
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export interface LibraryArtifactHistory {
  readonly kind: ArtifactKind;
  readonly name: string;
  /** Oldest first. */
  readonly versions: readonly LibraryArtifactVersion[];
  readonly retirements: readonly { readonly version: number; readonly reason: string; readonly recordedAt: string; readonly recordedBy: string }[];
  readonly retired: boolean;
}

/** Every version of one artifact, from its stream; undefined when the library never held it. */
export const libraryArtifactHistory = async (store: EventStore, kind: ArtifactKind, name: string): Promise<LibraryArtifactHistory | undefined> => {
  const events = (await store.readStream(libraryStreamId(kind, name))).filter(isLibraryEvent);
  if (events.length === 0) return undefined;
  const versions: LibraryArtifactVersion[] = [];
  const retirements: { version: number; reason: string; recordedAt: string; recordedBy: string }[] = [];
  let retired = false;
  let current = name;
  for (const event of events) {
    const by = event.metadata.actor.id;
    if (event.type === 'guardrails.LibraryArtifactRetired.v1') {
      const data = event.data as { version: number; reason: string };
      retirements.push({ version: data.version, reason: data.reason, recordedAt: event.recordedAt, recordedBy: by });
      retired = true;
      continue;
    }
    const data = event.data as { name: string; version: number; sha256: string; displayName: string; source: string; definition?: Record<string, unknown>; initiative?: Record<string, unknown>; members?: LibraryMemberRef[] };
    current = data.name;
    retired = false;
    versions.push({
      version: data.version,
      sha256: data.sha256,
      displayName: data.displayName,
      source: data.source,
      content: data.definition ?? data.initiative ?? {},
      ...(data.members ? { members: data.members } : {}),
      recordedAt: event.recordedAt,
      recordedBy: by,
    });
  }
  return { kind, name: current, versions, retirements, retired };
};

/**
 * Retires a library artifact: kept for history, no longer offered to new assignments; assignments
 * already made keep evaluating the version they hold until someone changes them. A definition that
 * a live initiative holds is refused, naming the initiatives.
 */
export const retireLibraryArtifact = async (
  store: EventStore,
  request: { readonly kind: ArtifactKind; readonly name: string; readonly reason: string },
  context: Omit<CommandContext, 'tenantId'>,
): Promise<CommandOutcome<LibraryEvent>> => {
  const library = request.kind === 'definition' ? await loadLibrary(store) : new Map<string, LibraryEntry>();
  const heldBy = [...library.values()]
    .filter((e) => e.kind === 'initiative' && !e.retired && e.initiative?.members.some((m) => m.source === 'library' && m.name.toLowerCase() === request.name.toLowerCase()))
    .map((e) => e.name)
    .sort();
  return handleCommand(
    store,
    libraryDecider,
    libraryStreamId(request.kind, request.name),
    { kind: 'RetireArtifact', artifactKind: request.kind, name: request.name, reason: request.reason, heldBy },
    { ...context, tenantId: PROVIDER_SCOPE },
  );
};
