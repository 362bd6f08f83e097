// The catalog as the libraries make it now: Azure's built-ins and Rampart's baselines, plus the
// provider's library definitions and initiatives and, for a tenant, its own (withLibrary in
// guardrails). Read from the library events of every scope and kept current by reading only what
// was appended since (libraries change rarely), one per store, so every use case and the evaluator
// of a process see the same libraries. A tenant's catalog holds its own library and no one else's.
import { PROVIDER_SCOPE, START, type EventStore, type GlobalPosition } from '@rampart/event-sourcing';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import {
  builtInCatalog,
  isLibraryEvent,
  LIBRARY_EVENT_TYPES,
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
  type LibraryScope,
  type LibrarySnapshot,
} from '@rampart/guardrails';

/** One scope's library (the provider's, or one tenant's), as recorded so far. */
class ScopeLibrary implements LibrarySnapshot {
  readonly definitions = new Map<string, { versions: LibraryDefinitionVersion[]; retired: boolean }>();
  readonly initiatives = new Map<string, { versions: LibraryInitiativeVersion[]; retired: boolean }>();

  definition(name: string): LibraryHolding<LibraryDefinitionVersion> | undefined {
    return this.definitions.get(name.toLowerCase());
  }

  initiative(name: string): LibraryHolding<LibraryInitiativeVersion> | undefined {
    return this.initiatives.get(name.toLowerCase());
  }

  live(kind: ArtifactKind): string[] {
    return [...(kind === 'definition' ? this.definitions : this.initiatives).values()].filter((h) => !h.retired && h.versions.length > 0).map((h) => h.versions[h.versions.length - 1].name);
  }

  apply(event: LibraryEvent): void {
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

export class LibrarySource implements LibrarySnapshot {
  private position: GlobalPosition = START;
  private readonly provider = new ScopeLibrary();
  private readonly tenants = new Map<string, ScopeLibrary>();
  /** Per base catalog: the provider's catalog, and each tenant's that has a library of its own. */
  private readonly catalogs = new WeakMap<Catalog, { provider: Catalog; tenants: Map<string, Catalog> }>();
  private refreshing: Promise<void> | undefined;

  constructor(private readonly store: EventStore) {}

  definition(name: string): LibraryHolding<LibraryDefinitionVersion> | undefined {
    return this.provider.definition(name);
  }

  initiative(name: string): LibraryHolding<LibraryInitiativeVersion> | undefined {
    return this.provider.initiative(name);
  }

  /** A tenant's own library; undefined when it has none. */
  tenantLibrary(tenantId: string): LibrarySnapshot | undefined {
    return this.tenants.get(tenantId);
  }

  /** The names of the live (not retired) artifacts of a kind in a scope's library, as last published. */
  live(kind: ArtifactKind, scope: { readonly tenantId?: string } = {}): string[] {
    const library = scope.tenantId === undefined ? this.provider : this.tenants.get(scope.tenantId);
    return library ? library.live(kind) : [];
  }

  /** Reads what the libraries recorded since the last refresh (one at a time: concurrent callers share it). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readNew().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * The catalog with the provider's library in it and, for a tenant that has one, its own: one
   * object per base catalog and tenant, so what is compiled and bound for it is kept.
   */
  catalog(base: Catalog = builtInCatalog(), tenantId?: string): Catalog {
    let held = this.catalogs.get(base);
    if (!held) this.catalogs.set(base, (held = { provider: withLibrary(base, this.provider), tenants: new Map() }));
    const own = tenantId === undefined ? undefined : this.tenants.get(tenantId);
    if (!own || tenantId === undefined) return held.provider;
    let catalog = held.tenants.get(tenantId);
    if (!catalog) held.tenants.set(tenantId, (catalog = withLibrary(base, this.provider, own)));
    return catalog;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ from: this.position, filter: { eventTypes: [...LIBRARY_EVENT_TYPES] }, maxCount: 1_000 });
      for (const event of page.events) {
        if (!isLibraryEvent(event) || !/:library-(definition|initiative)-/.test(event.streamId)) continue;
        const scope = event.metadata.tenantId;
        let library = scope === PROVIDER_SCOPE ? this.provider : this.tenants.get(scope);
        if (!library) this.tenants.set(scope, (library = new ScopeLibrary()));
        library.apply(event as unknown as LibraryEvent);
      }
      this.position = page.position;
      if (page.isEnd) return;
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

/** The built-in catalog with the libraries as they are now: the provider's, and the tenant's own when one is named. */
export const catalogWithLibrary = async (store: EventStore, base?: Catalog, tenantId?: string): Promise<Catalog> => {
  const source = librarySource(store);
  await source.refresh();
  return source.catalog(base, tenantId);
};

/**
 * What a library offers to assign: each live definition and initiative at its latest version, under
 * the id that follows it; the provider's, or a tenant's own.
 */
export const libraryBaselines = async (store: EventStore, scope: { readonly tenantId?: string } = {}): Promise<(Baseline & { readonly version: number })[]> => {
  const source = librarySource(store);
  await source.refresh();
  const catalog = source.catalog(undefined, scope.tenantId);
  const whose: LibraryScope = scope.tenantId === undefined ? 'provider' : 'tenant';
  const offered: (Baseline & { version: number })[] = [];
  for (const kind of ['definition', 'initiative'] as const) {
    for (const name of source.live(kind, scope).sort((a, b) => a.localeCompare(b))) {
      const follows = libraryBaselineId(name, undefined, kind, whose);
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
export const libraryAssignments = async (
  stores: Pick<Stores, 'readModels'>,
  kind: ArtifactKind,
  name: string,
  options: { readonly schema?: string; readonly tenantId?: string } = {},
): Promise<LibraryAssignment[]> => {
  const id = libraryBaselineId(name, undefined, kind, options.tenantId === undefined ? 'provider' : 'tenant');
  const schema = options.schema ?? READ_MODEL_SCHEMA;
  const { rows } = await stores.readModels.query<{ tenant_id: string; assignment_id: string; baseline_id: string; follows: string | null; scope: string }>(
    `SELECT t.tenant_id, a->>'assignmentId' AS assignment_id, a->>'baselineId' AS baseline_id, a->>'follows' AS follows, a->>'scope' AS scope
       FROM "${schema}".tenant_guardrails t, jsonb_array_elements(t.doc->'assignments') a
      WHERE (left(a->>'baselineId', length($1) + 1) = $1 || '@' OR a->>'follows' = $1) AND ($2::text IS NULL OR t.tenant_id = $2)
      ORDER BY 1, 2`,
    [id, options.tenantId ?? null],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, assignmentId: r.assignment_id, baselineId: r.baseline_id, follows: r.follows, scope: r.scope }));
};
