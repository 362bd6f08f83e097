// The policy library's use cases: read a folder of policy files, plan the import against what the
// library holds, and apply a plan that nothing refuses, all of it or none (one atomic append where
// the store has it). The CLI calls these; the API will too, so the rules hold once.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fold, handleCommand, handleCommands, PROVIDER_SCOPE, reject, tenantStreamPrefix, type TenantStanding, START, type Actor, type CommandContext, type CommandOutcome, type EventStore, type RecordedEvent, type Rejection } from '@rampart/event-sourcing';
import {
  builtInDefinition,
  isLibraryChangeEvent,
  isLibraryEvent,
  isLibraryPolicySet,
  libraryChangeDecider,
  libraryChangeStreamId,
  libraryDecider,
  libraryPolicyDecider,
  libraryPolicyStreamId,
  publishCommandOf,
  libraryKey,
  libraryStreamId,
  planLibraryImport,
  type ArtifactKind,
  type ImportPlan,
  type LibraryEntry,
  type LibraryEvent,
  type LibraryIndex,
  type LibraryChange,
  type LibraryChangeEvent,
  type LibraryCommand,
  type LibraryMemberRef,
  type LibraryPolicy,
  type LibraryPolicySet,
  type PlanItem,
  type PolicyFile,
  type ProposedLibraryArtifact,
} from '@rampart/guardrails';

/** Bounds on what one import reads: a library is hundreds of files of a few kilobytes, not a disk. */
export const IMPORT_LIMITS = { maxFiles: 5_000, maxFileBytes: 4 * 1024 * 1024 } as const;

export type PolicyImportFailure =
  /** The folder cannot be read as a library (missing, too many files, too large). */
  | 'unreadable'
  /** The plan refuses something: `plan` says what and why; nothing was recorded. */
  | 'refused'
  /** The library changed while the import was recorded: plan again. */
  | 'library-changed'
  /** The tenant's standing allows no change to what it is held to (offboarded). */
  | 'not-allowed';

export class PolicyImportError extends Error {
  constructor(
    message: string,
    readonly reason: PolicyImportFailure = 'unreadable',
    /** For a refused plan: the plan, with its refusals. */
    readonly plan?: ImportPlan,
  ) {
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

/**
 * Whose library a use case works on: the provider's (no tenant named), or a tenant's own. A tenant's
 * library is changed only while the tenant's standing allows changing what it is held to.
 */
export interface LibraryScopeOption {
  readonly tenantId?: string;
  /** Required with a tenant: tenancy's standing rule. */
  readonly standing?: TenantStanding;
}

const scopeOf = (options: LibraryScopeOption): string => options.tenantId ?? PROVIDER_SCOPE;

/** Refused by the tenant's standing, for a tenant's own library; the provider's has none. */
const standingRefusal = async (options: LibraryScopeOption): Promise<Rejection | undefined> => {
  if (options.tenantId === undefined) return undefined;
  if (!options.standing) throw new Error("a tenant's library is changed with tenancy's standing rule");
  return options.standing(options.tenantId, 'changes-posture');
};

/** What a library holds now: every artifact's latest version, from its streams (the provider's, or a tenant's own). */
export const loadLibrary = async (store: EventStore, options: { readonly tenantId?: string } = {}): Promise<LibraryIndex> => {
  const byStream = new Map<string, RecordedEvent[]>();
  for (let from = START; ; ) {
    const page = await store.readAll({ from, filter: { streamPrefixes: [`${tenantStreamPrefix(scopeOf(options))}library-`] }, maxCount: 2_000 });
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

/** The plan of importing these files into a library (the provider's, or a tenant's own) as it is now. */
export const planPolicyImport = async (store: EventStore, files: readonly PolicyFile[], options: { readonly tenantId?: string } = {}): Promise<ImportPlan> =>
  options.tenantId === undefined
    ? planLibraryImport(files, await loadLibrary(store), builtIns)
    : planLibraryImport(files, await loadLibrary(store, options), builtIns, { scope: 'tenant', provider: await loadLibrary(store) });

export interface AppliedImport {
  readonly plan: ImportPlan;
  /** Artifacts recorded (added or changed). */
  readonly recorded: number;
  /** When the library policy asks for a second person: the proposal recorded instead; nothing is published until it is approved. */
  readonly proposedChangeId?: string;
}

/**
 * Plans and applies in one go, so what is applied is what was just planned. A plan with a refused
 * item applies nothing; otherwise every add and change is recorded in one batch (one transaction
 * where the store appends to several streams atomically). Each artifact is decided again against
 * its stream as it is then: versions are content, so a change someone made meanwhile is either the
 * same content (nothing recorded) or the files' content becomes a new version after it, never lost.
 */
export const applyPolicyImport = async (store: EventStore, files: readonly PolicyFile[], context: Omit<CommandContext, 'tenantId'>, options: LibraryScopeOption = {}): Promise<AppliedImport> => {
  const refusal = await standingRefusal(options);
  if (refusal) throw new PolicyImportError(`${options.tenantId}: ${refusal.message ?? refusal.code}`, 'not-allowed');
  const plan = await planPolicyImport(store, files, options);
  if (!plan.applicable) {
    throw new PolicyImportError(`the plan refuses ${plan.counts.refused} item${plan.counts.refused === 1 ? '' : 's'}: nothing was applied (fix or remove them, then import again)`, 'refused', plan);
  }
  const changes = plan.items.filter((i) => i.command && (i.action === 'add' || i.action === 'change'));
  if (changes.length === 0) return { plan, recorded: 0 };
  // The provider's four-eyes rule is for the provider's library, which every tenant may be held to.
  if (options.tenantId === undefined && (await readLibraryPolicy(store)).approvalRequired) {
    const changeId = await proposeLibraryChange(store, { artifacts: changes.map(proposedArtifactOf) }, context);
    return { plan, recorded: 0, proposedChangeId: changeId };
  }
  const ctx: CommandContext = { ...context, tenantId: scopeOf(options) };
  const outcomes = await handleCommands(
    store,
    libraryDecider,
    changes.flatMap((item) => (item.command ? [{ streamId: libraryStreamId(item.kind as ArtifactKind, item.name as string, scopeOf(options)), command: item.command, ctx }] : [])),
  );
  const refused = outcomes.flatMap((o, i) => (o.ok ? [] : [`${changes[i].kind} ${changes[i].name}: ${o.rejection.code}${o.rejection.message ? `: ${o.rejection.message}` : ''}`]));
  if (refused.length) throw new PolicyImportError(`the library changed while importing; plan again:\n${refused.join('\n')}`, 'library-changed');
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
export const libraryArtifactHistory = async (store: EventStore, kind: ArtifactKind, name: string, options: { readonly tenantId?: string } = {}): Promise<LibraryArtifactHistory | undefined> => {
  const events = (await store.readStream(libraryStreamId(kind, name, scopeOf(options)))).filter(isLibraryEvent);
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
  options: LibraryScopeOption = {},
): Promise<CommandOutcome<LibraryEvent>> => {
  const refusal = await standingRefusal(options);
  if (refusal) return { ok: false, rejection: refusal, attempts: 0 };
  const own = options.tenantId === undefined ? 'library' : 'tenant';
  const library = request.kind === 'definition' ? await loadLibrary(store, options) : new Map<string, LibraryEntry>();
  const heldBy = [...library.values()]
    .filter((e) => e.kind === 'initiative' && !e.retired && e.initiative?.members.some((m) => m.source === own && m.name.toLowerCase() === request.name.toLowerCase()))
    .map((e) => e.name)
    .sort();
  return handleCommand(
    store,
    libraryDecider,
    libraryStreamId(request.kind, request.name, scopeOf(options)),
    { kind: 'RetireArtifact', artifactKind: request.kind, name: request.name, reason: request.reason, heldBy },
    { ...context, tenantId: scopeOf(options) },
  );
};

// ---- four-eyes: the library policy and proposed changes ----------------------------------------

/** The person who answers for an actor: an API key's issuer, or the actor. */
const personOf = (actor: Actor): string => actor.issuedBy?.id ?? actor.id;

export const readLibraryPolicy = async (store: EventStore): Promise<LibraryPolicy> =>
  fold(libraryPolicyDecider, (await store.readStream(libraryPolicyStreamId())).filter(isLibraryPolicySet) as unknown as LibraryPolicySet[]);

const proposedArtifactOf = (item: PlanItem): ProposedLibraryArtifact => {
  const command = item.command as Extract<LibraryCommand, { kind: 'PublishDefinition' | 'PublishInitiative' }>;
  const version = item.version ?? 1;
  return {
    kind: item.kind as ArtifactKind,
    name: item.name as string,
    action: item.action as 'add' | 'change',
    version,
    basis: item.action === 'add' ? 0 : version - 1,
    reasons: [...item.reasons],
    source: command.source,
    ...(command.kind === 'PublishDefinition' ? { content: command.definition } : { content: command.initiative, members: [...command.members] }),
  };
};

const proposeLibraryChange = async (
  store: EventStore,
  change: { readonly artifacts: readonly ProposedLibraryArtifact[]; readonly policy?: { readonly approvalRequired: boolean } },
  context: Omit<CommandContext, 'tenantId'>,
): Promise<string> => {
  const changeId = randomUUID();
  const outcome = await handleCommand(
    store,
    libraryChangeDecider,
    libraryChangeStreamId(changeId),
    { kind: 'ProposeLibraryChange', changeId, proposedBy: personOf(context.actor), artifacts: change.artifacts, ...(change.policy ? { policy: change.policy } : {}), now: context.now },
    { ...context, tenantId: PROVIDER_SCOPE },
  );
  if (!outcome.ok) throw new PolicyImportError(`the change could not be proposed: ${outcome.rejection.code}${outcome.rejection.message ? ` (${outcome.rejection.message})` : ''}`, 'library-changed');
  return changeId;
};

export type LibraryPolicyOutcome = { readonly ok: true; readonly policy: LibraryPolicy; readonly proposedChangeId?: string } | { readonly ok: false; readonly rejection: Rejection };

/**
 * Sets whether library changes need a second person. Asking for it takes effect at once; turning it
 * off while it is on is proposed like any other change, for someone else to approve.
 */
export const setLibraryPolicy = async (store: EventStore, approvalRequired: boolean, context: Omit<CommandContext, 'tenantId'>): Promise<LibraryPolicyOutcome> => {
  const current = await readLibraryPolicy(store);
  if (current.approvalRequired && !approvalRequired) {
    return { ok: true, policy: current, proposedChangeId: await proposeLibraryChange(store, { artifacts: [], policy: { approvalRequired } }, context) };
  }
  const outcome = await handleCommand(store, libraryPolicyDecider, libraryPolicyStreamId(), { kind: 'SetLibraryPolicy', approvalRequired }, { ...context, tenantId: PROVIDER_SCOPE });
  return outcome.ok ? { ok: true, policy: { approvalRequired } } : { ok: false, rejection: outcome.rejection };
};

export interface LibraryChangeView extends LibraryChange {
  readonly proposedAt: string;
  /** When it was approved, applied or rejected. */
  readonly decidedAt: string | null;
  /** Proposed, unapproved and past its expiry: it can no longer be approved. */
  readonly expired: boolean;
}

const changeView = (events: readonly RecordedEvent[], now: Date): LibraryChangeView | undefined => {
  const own = events.filter(isLibraryChangeEvent);
  if (own.length === 0) return undefined;
  const state = fold(libraryChangeDecider, own as unknown as LibraryChangeEvent[]);
  const decided = [...own].reverse().find((e) => e.type !== 'guardrails.LibraryChangeProposed.v1' && e.type !== 'guardrails.LibraryChangeApplied.v1');
  return {
    ...state,
    proposedAt: own[0].recordedAt,
    decidedAt: decided?.recordedAt ?? null,
    expired: state.status === 'proposed' && state.expiresAt !== null && Date.parse(state.expiresAt) <= now.getTime(),
  };
};

/** Every proposed library change, newest first, with what became of it. */
export const libraryChanges = async (store: EventStore, now = new Date()): Promise<LibraryChangeView[]> => {
  const byStream = new Map<string, RecordedEvent[]>();
  for (let from = START; ; ) {
    const page = await store.readAll({ from, filter: { streamPrefixes: [libraryChangeStreamId('x').slice(0, -1)] }, maxCount: 1_000 });
    for (const event of page.events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    if (page.isEnd) break;
    from = page.position;
  }
  return [...byStream.values()]
    .flatMap((events) => changeView(events, now) ?? [])
    .sort((a, b) => b.proposedAt.localeCompare(a.proposedAt));
};

export const libraryChange = async (store: EventStore, changeId: string, now = new Date()): Promise<LibraryChangeView | undefined> => changeView(await store.readStream(libraryChangeStreamId(changeId)), now);

export type LibraryChangeOutcome = { readonly ok: true; readonly change: LibraryChangeView } | { readonly ok: false; readonly rejection: Rejection };

const changeIdRejection = (changeId: string): Rejection | undefined => (/^[a-z0-9][a-z0-9-]{0,62}$/.test(changeId) ? undefined : reject('unknown-change', `no change ${changeId.slice(0, 70)}`));

/**
 * A second person approves a proposed change: it is recorded as approved, then what it holds is
 * published and recorded as applied. Run again after a crash in between, it publishes what is
 * missing (the same content records nothing) and records the outcome: it converges.
 */
export const approveLibraryChange = async (store: EventStore, changeId: string, context: Omit<CommandContext, 'tenantId'>): Promise<LibraryChangeOutcome> => {
  const invalid = changeIdRejection(changeId);
  if (invalid) return { ok: false, rejection: invalid };
  const ctx: CommandContext = { ...context, tenantId: PROVIDER_SCOPE };
  const streamId = libraryChangeStreamId(changeId);
  const before = await libraryChange(store, changeId, context.now);
  if (!before) return { ok: false, rejection: reject('unknown-change', `no change ${changeId}`) };
  let moved: string[] = [];
  if (before.status === 'proposed') {
    const library = await loadLibrary(store);
    moved = before.artifacts.filter((a) => (library.get(libraryKey(a.kind, a.name))?.version ?? 0) !== a.basis).map((a) => `${a.kind} ${a.name}`);
  }
  const approved = await handleCommand(store, libraryChangeDecider, streamId, { kind: 'ApproveLibraryChange', approvedBy: personOf(context.actor), now: context.now, moved }, ctx);
  if (!approved.ok) return { ok: false, rejection: approved.rejection };
  if (before.status !== 'applied') {
    const outcomes = await handleCommands(
      store,
      libraryDecider,
      before.artifacts.map((a) => ({ streamId: libraryStreamId(a.kind, a.name), command: publishCommandOf(a), ctx })),
    );
    if (before.policy) {
      const set = await handleCommand(store, libraryPolicyDecider, libraryPolicyStreamId(), { kind: 'SetLibraryPolicy', approvalRequired: before.policy.approvalRequired, approvedChangeId: changeId }, ctx);
      if (!set.ok) return { ok: false, rejection: set.rejection };
    }
    const recorded = outcomes.filter((o) => o.ok && o.events.length > 0).length;
    const applied = await handleCommand(store, libraryChangeDecider, streamId, { kind: 'RecordLibraryChangeApplied', recorded }, ctx);
    if (!applied.ok) return { ok: false, rejection: applied.rejection };
  }
  return { ok: true, change: (await libraryChange(store, changeId, context.now)) as LibraryChangeView };
};

/** Declines a proposed change (a reviewer), or withdraws it (its proposer): nothing of it is published. */
export const rejectLibraryChange = async (store: EventStore, changeId: string, reason: string, context: Omit<CommandContext, 'tenantId'>): Promise<LibraryChangeOutcome> => {
  const invalid = changeIdRejection(changeId);
  if (invalid) return { ok: false, rejection: invalid };
  const outcome = await handleCommand(
    store,
    libraryChangeDecider,
    libraryChangeStreamId(changeId),
    { kind: 'RejectLibraryChange', rejectedBy: personOf(context.actor), reason },
    { ...context, tenantId: PROVIDER_SCOPE },
  );
  if (!outcome.ok) return { ok: false, rejection: outcome.rejection };
  return { ok: true, change: (await libraryChange(store, changeId, context.now)) as LibraryChangeView };
};
