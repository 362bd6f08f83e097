// The catalog as the library makes it now: Azure's built-ins and Rampart's baselines, plus the
// provider's library definitions (withLibrary in guardrails). Read from the provider's library
// streams and kept current by reading only what was appended since (a library changes rarely), one
// per store, so every use case and the evaluator of a process see the same library.
import { providerStreamPrefix, START, type EventStore, type GlobalPosition } from '@rampart/event-sourcing';
import {
  builtInCatalog,
  isLibraryEvent,
  withLibrary,
  type Catalog,
  type LibraryDefinitionPublished,
  type LibraryDefinitionVersion,
  type LibraryEvent,
  type LibrarySnapshot,
} from '@rampart/guardrails';

export class LibrarySource implements LibrarySnapshot {
  private position: GlobalPosition = START;
  private readonly definitions = new Map<string, { versions: LibraryDefinitionVersion[]; retired: boolean }>();
  private readonly catalogs = new WeakMap<Catalog, Catalog>();
  private refreshing: Promise<void> | undefined;

  constructor(private readonly store: EventStore) {}

  definition(name: string): { readonly versions: readonly LibraryDefinitionVersion[]; readonly retired: boolean } | undefined {
    return this.definitions.get(name.toLowerCase());
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
      const page = await this.store.readAll({ from: this.position, filter: { streamPrefixes: [`${providerStreamPrefix()}library-definition-`] }, maxCount: 1_000 });
      for (const event of page.events) if (isLibraryEvent(event)) this.apply(event as unknown as LibraryEvent);
      this.position = page.position;
      if (page.isEnd) return;
    }
  }

  private apply(event: LibraryEvent): void {
    if (event.type === 'guardrails.LibraryDefinitionPublished.v1') {
      const data = (event as LibraryDefinitionPublished).data;
      const key = data.name.toLowerCase();
      const held = this.definitions.get(key) ?? { versions: [], retired: false };
      if (!held.versions.some((v) => v.version === data.version)) {
        held.versions.push({ name: data.name, version: data.version, displayName: data.displayName, definition: data.definition, extension: data.extension });
      }
      held.retired = false;
      this.definitions.set(key, held);
    } else if (event.type === 'guardrails.LibraryArtifactRetired.v1' && event.data.kind === 'definition') {
      const held = this.definitions.get(event.data.name.toLowerCase());
      if (held) held.retired = true;
    }
  }
}

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
