// How the workers following one subscription share its partitions, decided by each worker alone
// from what the lease table shows (who is alive, who holds what): no coordinator. Pure, so the
// fairness and hand-over rules are tested without a database (partition-assignment.spec.ts).

export interface PartitionLease {
  readonly holder: string;
  /** False once it expired without renewal: its holder died or stalls, anyone may take it. */
  readonly live: boolean;
}

export interface AssignmentView {
  /** Partitions of the subscription. */
  readonly count: number;
  /** This worker. */
  readonly self: string;
  /** Live workers following the subscription with this partition count (this one among them). */
  readonly members: readonly string[];
  /** By partition: who holds its lease, live or expired; absent: nobody. */
  readonly leases: ReadonlyMap<number, PartitionLease>;
  /** Partitions this worker is handing over (finishing a batch first): neither counted as held nor taken. */
  readonly releasing?: ReadonlySet<number>;
  /** Leases of another setting (an older version's single lease, another partition count) are live: take nothing. */
  readonly otherSettingActive?: boolean;
  /** A live worker follows the subscription with fewer partitions: hand everything over to it. */
  readonly yieldToOtherSetting?: boolean;
}

export interface Assignment {
  /** How many partitions this worker should hold. */
  readonly quota: number;
  readonly take: readonly number[];
  readonly release: readonly number[];
}

/**
 * The members sorted; the first `count % members` of them hold ceil(count / members) partitions,
 * the others floor: so 8 partitions are 8, 4+4, 3+3+2, 2+2+2+2 over 1 to 4 workers, and a fifth
 * worker gets its 1 too (with ceil for everyone it could be left with none).
 */
const quotas = (count: number, members: readonly string[]): Map<string, number> => {
  const base = Math.floor(count / members.length);
  const extra = count % members.length;
  return new Map(members.map((m, rank) => [m, base + (rank < extra ? 1 : 0)]));
};

/**
 * What this worker takes and gives up now:
 * - it takes free (never held, or expired) partitions up to its quota, and past it up to
 *   ceil(count / members) only while no other member is below its own quota (so nothing stays
 *   unheld while a member is slow to take its share);
 * - it gives up what is past its quota when another member is below its quota (one joined), and
 *   always what is past ceil(count / members);
 * - it prefers partitions `rank, rank + members, …`, so workers starting together seldom race for
 *   the same ones, and keeps those when it gives some up.
 */
export const planAssignment = (view: AssignmentView): Assignment => {
  const releasing = view.releasing ?? new Set<number>();
  const held = [...view.leases].filter(([k, l]) => l.holder === view.self && !releasing.has(k)).map(([k]) => k);
  if (view.yieldToOtherSetting) return { quota: 0, take: [], release: held };

  const members = [...new Set([...view.members, view.self])].sort();
  const rank = members.indexOf(view.self);
  const quota = quotas(view.count, members);
  const ceiling = Math.ceil(view.count / members.length);
  const own = quota.get(view.self) ?? 0;

  const liveCounts = new Map<string, number>();
  for (const [k, l] of view.leases) if (l.live || l.holder === view.self) liveCounts.set(l.holder, (liveCounts.get(l.holder) ?? 0) + (releasing.has(k) ? 0 : 1));
  const someoneShort = members.some((m) => m !== view.self && (liveCounts.get(m) ?? 0) < (quota.get(m) ?? 0));

  const preferred = (k: number) => (k % members.length === rank ? 0 : 1);
  const byPreference = (a: number, b: number) => preferred(a) - preferred(b) || a - b;

  const keep = someoneShort ? own : ceiling;
  const release = held.length > keep ? [...held].sort(byPreference).slice(keep) : [];
  if (release.length > 0 || view.otherSettingActive) return { quota: own, take: [], release };

  const wanted = (someoneShort ? own : ceiling) - held.length;
  const free = Array.from({ length: view.count }, (_, k) => k).filter((k) => {
    const lease = view.leases.get(k);
    return !releasing.has(k) && (!lease || (!lease.live && lease.holder !== view.self));
  });
  return { quota: own, take: wanted > 0 ? free.sort(byPreference).slice(0, wanted) : [], release };
};
