/**
 * Thrown when an execution stops being run here: cancelled, handed to a replay after a
 * concurrent write, or shut down. Not a workflow error: nothing catches it and nothing records
 * it as a task fault.
 */
export class ExecutionAborted extends Error {
  override name = 'ExecutionAborted';
  constructor(readonly reason: 'cancelled' | 'replaced' | 'shutdown' | 'parked' = 'shutdown') {
    super(`execution stopped here (${reason})`);
  }
}

/** The reason a signal was aborted with, as an `ExecutionAborted` when it is not one already. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new ExecutionAborted();
}

/** Settles with `promise`, or rejects as soon as `signal` aborts. */
export function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
