// The catalog as the library makes it now: Azure's built-ins and Rampart's baselines, plus the
// provider's library definitions and initiatives (withLibrary in guardrails). Read from the provider's library
// streams and kept current by reading only what was appended since (a library changes rarely), one
// per store, so every use case and the evaluator of a process see the same library.
import { providerStreamPrefix, START, type EventStore, type GlobalPosition } from '@rampart/event-sourcing';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import {
  builtInCatalog,
  isLibraryEvent,
  libraryBaselineId,
  parseLibraryBaselineId,
  type ArtifactKind,
  type Baseline,
  withLibrary,
  type Catalog,
  type LibraryDefinitionPublished,
  type LibraryDefinitionVersion,
  type LibraryEvent,
  type LibraryHolding,
  type LibraryInitiativePublished,
  type LibraryInitiativeVersion,
  type LibrarySnapshot,
} from '@rampart/guardrails';

export class LibrarySource implements LibrarySnapshot {
  private position: GlobalPosition = START;
  private readonly definitions = new Map<string, { versions: LibraryDefinitionVersion[]; retired: boolean }>();
  private readonly initiatives = new Map<string, { versions: LibraryInitiativeVersion[]; retired: boolean }>();
  private readonly catalogs = new WeakMap<Catalog, Catalog>();
  private refreshing: Promise<void> | undefined;

  constructor(private readonly store: EventStore) {}

  definition(name: string): LibraryHolding<LibraryDefinitionVersion> | undefined {
    return this.definitions.get(name.toLowerCase());
  }

  initiative(name: string): LibraryHolding<LibraryInitiativeVersion> | undefined {
    return this.initiatives.get(name.toLowerCase());
  }

  /** The names of the live (not retired) artifacts of a kind, as last published. */
  live(kind: 'definition' | 'initiative'): string[] {
    return [...(kind === 'definition' ? this.definitions : this.initiatives).values()].filter((h) => !h.retired && h.versions.length > 0).map((h) => h.versions[h.versions.length - 1].name);
  }

  /** Reads what the library recorded since the last refresh (one at a time: concurrent callers share it). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readNew().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The catalog with the library in it: one object per base catalog, so what is compiled and bound for it is kept. */
  catalog(base: Catalog = builtInCatalog()): Catalog {
    let catalog = this.catalogs.get(base);
    if (!catalog) this.catalogs.set(base, (catalog = withLibrary(base, this)));
    return catalog;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ from: this.position, filter: { streamPrefixes: [`${providerStreamPrefix()}library-`] }, maxCount: 1_000 });
      for (const event of page.events) if (isLibraryEvent(event)) this.apply(event as unknown as LibraryEvent);
      this.position = page.position;
      if (page.isEnd) return;
    }
  }

  private apply(event: LibraryEvent): void {
    if (event.type === 'guardrails.LibraryDefinitionPublished.v1') {
      const data = (event as LibraryDefinitionPublished).data;
      publish(this.definitions, data.name, { name: data.name, version: data.version, displayName: data.displayName, definition: data.definition, extension: data.extension });
    } else if (event.type === 'guardrails.LibraryInitiativePublished.v1') {
      const data = (event as LibraryInitiativePublished).data;
      publish(this.initiatives, data.name, { name: data.name, version: data.version, displayName: data.displayName, initiative: data.initiative, members: data.members });
    } else if (event.type === 'guardrails.LibraryArtifactRetired.v1') {
      const held = (event.data.kind === 'definition' ? this.definitions : this.initiatives).get(event.data.name.toLowerCase());
      if (held) held.retired = true;
    }
  }
}

const publish = <V extends { version: number }>(held: Map<string, { versions: V[]; retired: boolean }>, name: string, version: V): void => {
  const entry = held.get(name.toLowerCase()) ?? { versions: [], retired: false };
  if (!entry.versions.some((v) => v.version === version.version)) entry.versions.push(version);
  entry.retired = false;
  held.set(name.toLowerCase(), entry);
};

const sources = new WeakMap<EventStore, LibrarySource>();

/** The process's library source for a store. */
export const librarySource = (store: EventStore): LibrarySource => {
  let source = sources.get(store);
  if (!source) sources.set(store, (source = new LibrarySource(store)));
  return source;
};

/** The built-in catalog with the library as it is now. */
export const catalogWithLibrary = async (store: EventStore, base?: Catalog): Promise<Catalog> => {
  const source = librarySource(store);
  await source.refresh();
  return source.catalog(base);
};

/** What the library offers to assign: each live definition and initiative at its latest version, under the id that follows it. */
export const libraryBaselines = async (store: EventStore): Promise<(Baseline & { readonly version: number })[]> => {
  const source = librarySource(store);
  await source.refresh();
  const catalog = source.catalog();
  const offered: (Baseline & { version: number })[] = [];
  for (const kind of ['definition', 'initiative'] as const) {
    for (const name of source.live(kind).sort((a, b) => a.localeCompare(b))) {
      const follows = libraryBaselineId(name, undefined, kind);
      const latest = catalog.baselines.get(follows);
      const version = latest && parseLibraryBaselineId(latest.id)?.version;
      if (latest && version !== undefined) offered.push({ ...latest, id: follows, version });
    }
  }
  return offered;
};

export interface LibraryAssignment {
  readonly tenantId: string;
  readonly assignmentId: string;
  /** The version it evaluates (`lib-definition:<name>@<n>`). */
  readonly baselineId: string;
  /** Set when it follows the latest version. */
  readonly follows: string | null;
  readonly scope: string;
}

/** Where a library artifact is assigned: every tenant assignment of any of its versions, from the tenants' policies. */
export const libraryAssignments = async (stores: Pick<Stores, 'readModels'>, kind: ArtifactKind, name: string, schema = READ_MODEL_SCHEMA): Promise<LibraryAssignment[]> => {
  const id = libraryBaselineId(name, undefined, kind);
  const { rows } = await stores.readModels.query<{ tenant_id: string; assignment_id: string; baseline_id: string; follows: string | null; scope: string }>(
    `SELECT t.tenant_id, a->>'assignmentId' AS assignment_id, a->>'baselineId' AS baseline_id, a->>'follows' AS follows, a->>'scope' AS scope
       FROM "${schema}".tenant_guardrails t, jsonb_array_elements(t.doc->'assignments') a
      WHERE left(a->>'baselineId', length($1) + 1) = $1 || '@' OR a->>'follows' = $1
      ORDER BY 1, 2`,
    [id],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, assignmentId: r.assignment_id, baselineId: r.baseline_id, follows: r.follows, scope: r.scope }));
};
