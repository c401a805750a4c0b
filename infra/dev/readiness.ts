import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves when the service answers a real client request; rejects with the reason otherwise. */
export type HealthProbe = () => Promise<void>;

export type ReadinessResult =
  | { readonly ready: true; readonly elapsedMs: number }
  | { readonly ready: false; readonly reason: string };

/**
 * Polls a health probe until it passes. An open port is not enough: PostgreSQL accepts
 * connections while still in recovery and Kafka before its metadata is loaded, so the probe
 * speaks each service's protocol. `stillRunning` lets a crashed process fail fast instead of
 * burning the whole timeout.
 */
export async function waitUntilHealthy(
  probe: HealthProbe,
  options: { readonly timeoutMs: number; readonly stillRunning?: () => Promise<boolean> },
): Promise<ReadinessResult> {
  const started = Date.now();
  let lastError = 'no attempt made';
  while (Date.now() - started < options.timeoutMs) {
    try {
      await probe();
      return { ready: true, elapsedMs: Date.now() - started };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (options.stillRunning !== undefined && !(await options.stillRunning())) {
      return {
        ready: false,
        reason: `the process exited before answering (last probe error: ${lastError})`,
      };
    }
    await sleep(250);
  }
  const seconds = (options.timeoutMs / 1000).toFixed(0);
  return {
    ready: false,
    reason: `no healthy answer within ${seconds} s (last probe error: ${lastError})`,
  };
}

/** One quick probe for `status`, which must stay fast even when a service hangs. */
export async function probeOnce(probe: HealthProbe): Promise<string | undefined> {
  try {
    await probe();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Timeouts are generous because CI machines are small (2 cores) and the JVM starts slowly. */
export const readinessTimeoutMs = {
  postgres: 60_000,
  redis: 20_000,
  kafka: 120_000,
} as const;
