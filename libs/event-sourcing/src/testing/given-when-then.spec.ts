// The helper itself must fail when the decider does the wrong thing, or every test built on it
// would pass vacuously.
import { reject, type Decider } from '../decider';
import { givenWhenThen } from './given-when-then';

type Event = { type: 'Incremented'; data: { by: number } };
const counter: Decider<{ by: number }, number, Event> = {
  decide: (cmd, total) => (total + cmd.by > 3 ? reject('limit-exceeded') : [{ type: 'Incremented', data: { by: cmd.by } }]),
  evolve: (total, e) => total + e.data.by,
  initialState: () => 0,
};
const given = givenWhenThen(counter);
const inc = (by: number): Event => ({ type: 'Incremented', data: { by } });

describe('given/when/then', () => {
  it('passes when the decision matches', () => {
    given(inc(1)).when({ by: 1 }).then(inc(1));
    given(inc(3)).when({ by: 1 }).thenRejects('limit-exceeded');
    expect(given(inc(1), inc(2)).state()).toBe(3);
  });

  it('fails when events differ, when a rejection was expected, or when the code differs', () => {
    expect(() => given().when({ by: 1 }).then(inc(2))).toThrow();
    expect(() => given().when({ by: 1 }).thenRejects('limit-exceeded')).toThrow(/expected rejection "limit-exceeded" but got events \[Incremented\]/);
    expect(() => given(inc(3)).when({ by: 1 }).then(inc(1))).toThrow(/but got rejection "limit-exceeded"/);
    expect(() => given(inc(3)).when({ by: 1 }).thenRejects('other')).toThrow();
  });
});
