import { AwpError } from '../../contracts/index.js';
import type { GlobalCursor } from '../../contracts/index.js';

/**
 * A global-log cursor as one opaque-looking URL-safe token, `<transaction id>-<position>`, so
 * clients pass back what they were given instead of building positions themselves.
 */
export function formatCursor(cursor: GlobalCursor): string {
  return `${cursor.transactionId}-${cursor.position}`;
}

export function parseCursor(text: string, field = 'after'): GlobalCursor {
  const match = /^(\d{1,20})-(\d{1,19})$/.exec(text);
  if (!match) {
    throw new AwpError('validation', `'${field}' must be a cursor returned by this API`, { field });
  }
  return { transactionId: match[1] as string, position: match[2] as string };
}
