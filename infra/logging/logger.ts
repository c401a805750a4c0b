import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout, written in 4 KiB batches rather than one syscall per line (a line per
 * request otherwise dominates the gateway's cost); `flushLogger` writes the rest at shutdown.
 * Secrets are never passed to the logger; the redact list is a safety net for the headers that
 * carry them (fixed paths only: wildcard paths cost every log call).
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'awp' },
      redact: {
        paths: ['headers.authorization', 'headers.cookie', 'headers["x-api-key"]'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}

/** Writes buffered log lines out; call before the process exits. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}
