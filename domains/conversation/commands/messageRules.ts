import { AwpError } from '../../../contracts/index.js';

/** Longest text a person may post or edit in: a long message, far from an event's size limit. */
export const maxPostedContentLength = 32_000;
/** Longest text the platform records for an assistant, tool or system (a generated workflow). */
export const maxRecordedContentLength = 200_000;
export const maxTitleLength = 200;

/**
 * A message's text as it will be recorded: unchanged (whitespace may matter, e.g. in YAML), but
 * never blank and never longer than `max`. Checked here, not only by the HTTP layer, so the
 * WebSocket and the reply orchestration obey the same rules.
 */
export function checkedContent(content: string, max: number): string {
  if (content.trim() === '') {
    throw new AwpError('validation', "invalid message: 'content' must not be empty", {
      field: 'content',
    });
  }
  if (content.length > max) {
    throw new AwpError(
      'validation',
      `invalid message: 'content' must be at most ${max} characters (got ${content.length})`,
      { field: 'content' },
    );
  }
  return content;
}

/** A title trimmed; blank means none. */
export function checkedTitle(title: string | null | undefined): string | null {
  const trimmed = title?.trim() ?? '';
  if (trimmed.length > maxTitleLength) {
    throw new AwpError(
      'validation',
      `invalid conversation: 'title' must be at most ${maxTitleLength} characters`,
      { field: 'title' },
    );
  }
  return trimmed === '' ? null : trimmed;
}
