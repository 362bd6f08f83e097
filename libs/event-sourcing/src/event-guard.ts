// Type guards for published events: a context's contract names the events other contexts consume
// (`isFindingOpened`), and a reader narrows whatever it read from the log without a cast.
import type { DomainEvent } from './envelope';

/**
 * A guard for events of the given type names. It keeps the envelope of what it narrows (a
 * RecordedEvent stays one) and checks the type name only: the payload is trusted to follow the
 * contract its type name stands for, as everywhere else events are read.
 */
export const eventGuard =
  <E extends DomainEvent>(...types: readonly E['type'][]) =>
  <T extends { readonly type: string }>(event: T): event is T & E =>
    (types as readonly string[]).includes(event.type);
