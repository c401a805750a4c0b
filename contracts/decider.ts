import type { PendingEvent } from './envelope.js';

/**
 * The shape every aggregate takes: pure `decide` and `evolve`, no I/O. A command handler loads
 * the stream, folds it with `evolve`, asks `decide` for new events and appends them.
 */
export interface Decider<Command, State, Event extends PendingEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** Returns the events the command causes, or throws an `AwpError` when it is refused. */
  decide(command: Command, state: State): Event[];
}
