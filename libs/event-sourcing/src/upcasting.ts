// Old event versions are upcast on read, never edited in place. An upcaster turns one stored
// type into its successor; chains (v1 -> v2 -> v3) are followed until no upcaster applies.
import type { RecordedEvent } from './envelope';

export interface Upcaster {
  readonly fromType: string;
  readonly toType: string;
  upcast(data: unknown, event: RecordedEvent): unknown;
}

export type UpcastFn = (event: RecordedEvent) => RecordedEvent;

export const identityUpcast: UpcastFn = (event) => event;

export const upcasterChain = (upcasters: readonly Upcaster[]): UpcastFn => {
  const byType = new Map<string, Upcaster>();
  for (const u of upcasters) {
    if (byType.has(u.fromType)) throw new Error(`two upcasters for ${u.fromType}`);
    byType.set(u.fromType, u);
  }
  if (byType.size === 0) return identityUpcast;
  return (event) => {
    let current = event;
    for (let hops = 0; hops <= byType.size; hops++) {
      const next = byType.get(current.type);
      if (!next) return current;
      current = { ...current, type: next.toType, data: next.upcast(current.data, current) };
    }
    throw new Error(`upcaster cycle starting at ${event.type}`);
  };
};
