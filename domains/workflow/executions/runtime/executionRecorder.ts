import type { EventMetadata, EventStore, PendingEvent } from '../../../../contracts/index.js';
import { workflowTopic } from '../../../../contracts/index.js';
import type { ExecutionEvent } from '../../../../contracts/index.js';
import type { FaultInjector } from '../../ports/faultInjector.js';

/**
 * Appends an execution's events to its stream. Events of pure tasks are buffered and written
 * together (a `set` task costs no round trip); anything with an effect outside — an HTTP call,
 * a timer, a subscription — flushes first, so the log is never behind the world. Appends use
 * the stream version this recorder last saw: a concurrent writer (a cancel, an event delivered
 * by another process) makes the flush fail, and the runner replays from the log.
 */
export class ExecutionRecorder {
  private buffer: PendingEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly secretPatterns: string[];

  constructor(
    private readonly eventStore: EventStore,
    private readonly streamId: string,
    private readonly metadata: EventMetadata,
    /** The stream version already written (0 for a new stream). */
    public version: number,
    secretValues: readonly string[],
    private readonly faults: FaultInjector,
  ) {
    // Secrets are matched in their JSON-escaped form, as they appear inside the JSON payloads.
    this.secretPatterns = secretValues
      .filter((value) => value.length >= 4)
      .map((value) => JSON.stringify(value).slice(1, -1))
      .sort((a, b) => b.length - a.length);
  }

  get pending(): number {
    return this.buffer.length;
  }

  record(event: ExecutionEvent): void {
    this.buffer.push({ type: event.type, data: event.data });
  }

  /** Replaces every secret value in a JSON text with `***`; events never carry secrets. */
  redact(json: string): string {
    let text = json;
    for (const pattern of this.secretPatterns) {
      if (text.includes(pattern)) text = text.split(pattern).join('***');
    }
    return text;
  }

  /** Writes everything recorded so far; concurrent calls are serialized, in order. */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.writeBuffer());
    this.flushing = next.catch(() => undefined);
    return next;
  }

  private async writeBuffer(): Promise<void> {
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    this.faults.reached('before-append');
    const result = await this.eventStore.append({
      streamId: this.streamId,
      expectedVersion: this.version === 0 ? 'no_stream' : this.version,
      events,
      metadata: this.metadata,
      topic: workflowTopic,
    });
    this.version = result.nextVersion;
    this.faults.reached('after-append');
  }
}
