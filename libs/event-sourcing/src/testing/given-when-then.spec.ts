// The helper itself must fail when the decider does the wrong thing, or every test built on it
// would pass vacuously.
import { reject, type Decider, type Workflow } from '../decider';
import { givenWhenThen, givenWhenThenWorkflow } from './given-when-then';

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

// A workflow that sends a reminder once per order, unless the customer is blocked.
type Fact = { type: 'ReminderSent'; data: { orderId: string } };
type Remind = { kind: 'SendReminder'; orderId: string };
const reminders: Workflow<{ orderId: string }, { sent: string[]; blocked: boolean }, Remind, Fact> = {
  decide: (trigger, state) => (state.blocked ? reject('customer-blocked') : state.sent.includes(trigger.orderId) ? [] : [{ kind: 'SendReminder', orderId: trigger.orderId }]),
  evolve: (state, fact) => ({ ...state, sent: [...state.sent, fact.data.orderId] }),
  initialState: () => ({ sent: [], blocked: false }),
};

describe('given/when/then for workflows', () => {
  const sent = (orderId: string): Fact => ({ type: 'ReminderSent', data: { orderId } });

  it('passes when the commands match', () => {
    givenWhenThenWorkflow(reminders)().when({ orderId: 'o1' }).then({ kind: 'SendReminder', orderId: 'o1' });
    givenWhenThenWorkflow(reminders)(sent('o1')).when({ orderId: 'o1' }).then();
    givenWhenThenWorkflow(reminders, () => ({ sent: [], blocked: true }))().when({ orderId: 'o1' }).thenRejects('customer-blocked');
  });

  it('fails when commands differ, when a rejection was expected, or when the code differs', () => {
    const given = givenWhenThenWorkflow(reminders);
    expect(() => given(sent('o1')).when({ orderId: 'o1' }).then({ kind: 'SendReminder', orderId: 'o1' })).toThrow();
    expect(() => given().when({ orderId: 'o1' }).thenRejects('customer-blocked')).toThrow(/expected rejection "customer-blocked" but got 1 command/);
    const blocked = givenWhenThenWorkflow(reminders, () => ({ sent: [], blocked: true }));
    expect(() => blocked().when({ orderId: 'o1' }).then()).toThrow(/but got rejection "customer-blocked"/);
    expect(() => blocked().when({ orderId: 'o1' }).thenRejects('other')).toThrow();
  });
});
