import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout. Secrets never reach a log line: the redact list covers the headers and
 * fields that carry them, whatever logs them.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'awp' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        '*.password',
        '*.secret',
        '*.apiKey',
      ],
      censor: '[redacted]',
    },
  });
}
