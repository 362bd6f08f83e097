import { planAssignment, type PartitionLease } from './partition-assignment';

/**
 * A lease table and workers that each, in turn, renew what they hold, look, and act on
 * planAssignment — as followLog does each tick, with releases done at once (a batch boundary).
 */
const fleet = (count: number) => {
  let now = 0;
  const TTL = 3;
  const leases = new Map<number, { holder: string; expires: number }>();
  const members = new Map<string, number>(); // worker -> heartbeat expiry
  const alive = new Set<string>();
  const view = (self: string) => ({
    count,
    self,
    members: [...members].filter(([, expires]) => expires > now).map(([m]) => m),
    leases: new Map<number, PartitionLease>([...leases].map(([k, l]) => [k, { holder: l.holder, live: l.expires > now }])),
  });
  const step = (worker: string) => {
    members.set(worker, now + TTL);
    for (const l of leases.values()) if (l.holder === worker) l.expires = now + TTL;
    const plan = planAssignment(view(worker));
    for (const k of plan.release) leases.delete(k);
    for (const k of plan.take) {
      const l = leases.get(k);
      if (l && l.expires > now && l.holder !== worker) throw new Error(`${worker} took ${k}, which ${l.holder} holds`);
      leases.set(k, { holder: worker, expires: now + TTL });
    }
  };
  const round = () => {
    now++;
    for (const w of alive) step(w);
  };
  const held = () => {
    const by = new Map<string, number[]>();
    for (const [k, l] of [...leases].sort((a, b) => a[0] - b[0])) if (l.expires > now) by.set(l.holder, [...(by.get(l.holder) ?? []), k]);
    return by;
  };
  const shares = () => [...alive].map((w) => held().get(w)?.length ?? 0).sort((a, b) => b - a);
  return {
    join: (w: string) => alive.add(w),
    kill: (w: string) => alive.delete(w),
    round,
    rounds: (n: number) => Array.from({ length: n }).forEach(round),
    held,
    shares,
    /** Partitions held (live) by no one or by two: never two, by the table's construction. */
    unheld: () => Array.from({ length: count }, (_, k) => k).filter((k) => !(leases.get(k) && leases.get(k)!.expires > now)),
  };
};

describe('sharing partitions among workers', () => {
  it.each([
    [1, [8]],
    [2, [4, 4]],
    [3, [3, 3, 2]],
    [4, [2, 2, 2, 2]],
    [5, [2, 2, 2, 1, 1]],
  ])('gives %i worker(s) starting together a fair share of 8 partitions', (workers, expected) => {
    const f = fleet(8);
    for (let i = 0; i < workers; i++) f.join(`w${i}`);
    f.rounds(4);
    expect(f.shares()).toEqual(expected);
    expect(f.unheld()).toEqual([]);
  });

  it('hands partitions over to a worker that joins, without leaving any unheld', () => {
    const f = fleet(8);
    f.join('a');
    f.rounds(2);
    expect(f.shares()).toEqual([8]);
    f.join('b');
    f.rounds(3);
    expect(f.shares()).toEqual([4, 4]);
    f.join('c');
    f.rounds(3);
    expect(f.shares()).toEqual([3, 3, 2]);
    f.join('d');
    f.rounds(3);
    expect(f.shares()).toEqual([2, 2, 2, 2]);
    expect(f.unheld()).toEqual([]);
    // and stays put: nothing moves once shared
    const before = f.held();
    f.rounds(5);
    expect(f.held()).toEqual(before);
  });

  it("takes a dead worker's partitions only once its leases expired", () => {
    const f = fleet(8);
    for (const w of ['a', 'b', 'c']) f.join(w);
    f.rounds(4);
    const victim = f.held().get('c')!;
    f.kill('c');
    f.round();
    // its leases are still live: nobody takes them yet
    expect(f.held().get('c')).toEqual(victim);
    f.rounds(4);
    expect(f.held().get('c')).toBeUndefined();
    expect(f.shares()).toEqual([4, 4]);
    expect(f.unheld()).toEqual([]);
  });

  it('takes past its quota what nobody holds, and gives it back when a member is short', () => {
    const plan = planAssignment({
      count: 4,
      self: 'a',
      members: ['a', 'b'],
      leases: new Map([
        [0, { holder: 'a', live: true }],
        [2, { holder: 'a', live: true }],
        [1, { holder: 'b', live: true }],
        [3, { holder: 'b', live: true }],
      ]),
    });
    expect(plan).toEqual({ quota: 2, take: [], release: [] });
    // b died (its member row expired), its leases expired: a takes everything
    const alone = planAssignment({ count: 4, self: 'a', members: ['a'], leases: new Map([[0, { holder: 'a', live: true }], [1, { holder: 'b', live: false }], [2, { holder: 'a', live: true }], [3, { holder: 'b', live: false }]]) });
    expect(alone.take).toEqual([1, 3]);
    // c joined and holds nothing: a keeps its preferred partitions and hands over the rest
    const joined = planAssignment({ count: 4, self: 'a', members: ['a', 'c'], leases: new Map([0, 1, 2, 3].map((k) => [k, { holder: 'a', live: true }])) });
    expect(joined).toEqual({ quota: 2, take: [], release: [1, 3] });
  });

  it('neither counts nor takes what it is handing over', () => {
    const plan = planAssignment({ count: 4, self: 'a', members: ['a', 'b'], leases: new Map([[1, { holder: 'a', live: true }]]), releasing: new Set([1]) });
    expect(plan.take).toEqual([0, 2]);
  });

  it('waits while another partition setting is live, and hands over to a worker with fewer partitions', () => {
    expect(planAssignment({ count: 8, self: 'a', members: ['a'], leases: new Map(), otherSettingActive: true }).take).toEqual([]);
    const yielding = planAssignment({ count: 8, self: 'a', members: ['a'], leases: new Map([[5, { holder: 'a', live: true }]]), yieldToOtherSetting: true });
    expect(yielding).toEqual({ quota: 0, take: [], release: [5] });
  });
});
