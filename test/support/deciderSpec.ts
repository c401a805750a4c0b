import { deepStrictEqual, fail } from 'node:assert';
import type { Decider, ErrorCode, PendingEvent } from '../../contracts/index.js';
import { isAwpError } from '../../contracts/index.js';

/**
 * Given/when/then specifications of deciders (Emmett style): the history is folded with
 * `evolve`, the command is decided, and the outcome is compared with what the spec expects.
 */
export function deciderSpec<Command, State, Event extends PendingEvent>(
  decider: Decider<Command, State, Event>,
) {
  return {
    given(history: readonly Event[]) {
      const state = history.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = (): Event[] => decider.decide(command, state);
          return {
            then(expected: readonly Event[]): void {
              deepStrictEqual(run(), expected);
            },
            thenFails(code: ErrorCode, messagePart?: string): void {
              try {
                const events = run();
                fail(`expected '${code}' but the decider emitted ${JSON.stringify(events)}`);
              } catch (error) {
                if (!isAwpError(error)) throw error;
                deepStrictEqual(error.code, code);
                if (messagePart && !error.message.includes(messagePart)) {
                  fail(`message '${error.message}' does not mention '${messagePart}'`);
                }
              }
            },
          };
        },
      };
    },
  };
}
