import type { Decider } from './decider.js';
import type { EventMetadata, PendingEvent } from './envelope.js';
import type { AppendResult, EventStore, UniqueKey } from './ports/eventStore.js';

export interface CommandHandlerOptions<Command, State, Event extends PendingEvent> {
  eventStore: EventStore;
  decider: Decider<Command, State, Event>;
  /** Topic of the owning domain, e.g. `awp.platform.events`. */
  topic: string;
}

export interface HandleRequest<Command> {
  streamId: string;
  command: Command;
  metadata: EventMetadata;
  uniqueKeys?: readonly UniqueKey[];
}

/**
 * Load → fold → decide → append with the version we read, so a concurrent writer makes the
 * append fail with `StreamVersionConflict` instead of silently interleaving.
 */
export function createCommandHandler<Command, State, Event extends PendingEvent>(
  options: CommandHandlerOptions<Command, State, Event>,
) {
  const { eventStore, decider, topic } = options;
  return async function handle(request: HandleRequest<Command>): Promise<AppendResult> {
    const history = await eventStore.readStream(request.streamId);
    const state = history.reduce(
      (current, event) => decider.evolve(current, event as unknown as Event),
      decider.initialState(),
    );
    const events = decider.decide(request.command, state);
    return eventStore.append({
      streamId: request.streamId,
      expectedVersion: history.length === 0 ? 'no_stream' : history.length,
      events,
      metadata: request.metadata,
      topic,
      uniqueKeys: request.uniqueKeys,
    });
  };
}
