import type { Logger } from '../logging/logger.js';

export interface WakeableLoopOptions {
  name: string;
  intervalMs: number;
  logger: Logger;
  tick(): Promise<void>;
  /** Back-off after a failed tick, so a database outage is not hammered. */
  errorBackoffMs?: number;
}

export interface WakeableLoop {
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Runs `tick` every `intervalMs`, or at once when woken; never two ticks at a time. A wake that
 * arrives during a tick runs one more tick right after it, so no signal is lost.
 */
export function createWakeableLoop(options: WakeableLoopOptions): WakeableLoop {
  let stopped = false;
  let pending = true;
  let wakeUp: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const finished = (async () => {
    while (!stopped) {
      if (!pending) await sleep(options.intervalMs);
      if (stopped) break;
      pending = false;
      try {
        await options.tick();
      } catch (error) {
        options.logger.error({ err: error, loop: options.name }, `${options.name} tick failed`);
        if (!stopped) await sleep(options.errorBackoffMs ?? 1_000);
      }
    }
  })();

  return {
    wake() {
      pending = true;
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await finished;
    },
  };
}
