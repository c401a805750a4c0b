import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';

/**
 * The SDKs' `timeout` only covers the wait for the response headers; a stream that then goes
 * quiet would hold the caller forever. This watch aborts the request when no event has come
 * for `idleMs` while the adapter waits for one (not while the caller is busy with a chunk),
 * and combines that with the caller's own signal.
 *
 * The SDKs end a stream quietly when it is aborted, so after the loop the adapter asks the
 * watch why it ended: the caller, the idle timer, or the server.
 */
export class StreamWatch {
  readonly signal: AbortSignal;
  private readonly idle = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private fired = false;

  constructor(
    private readonly idleMs: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    this.signal = caller ? AbortSignal.any([caller, this.idle.signal]) : this.idle.signal;
  }

  /** Starts (or restarts) the wait for the next event. */
  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.fired = true;
      this.idle.abort();
    }, this.idleMs);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  get callerAborted(): boolean {
    return this.caller?.aborted === true;
  }

  get timedOut(): boolean {
    return this.fired;
  }

  /** The caller's own reason, thrown as is: a cancelled call is not the provider's failure. */
  get callerReason(): unknown {
    return this.caller?.reason;
  }

  idleError(provider: string): LlmProviderError {
    return new LlmProviderError(
      provider,
      'timeout',
      `${provider} went quiet for ${this.idleMs} ms in the middle of its answer`,
    );
  }
}
