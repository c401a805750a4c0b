import { AwpError } from '../../../contracts/index.js';
import type { Queryable } from '../../../contracts/index.js';
import type {
  ConversationRole,
  ConversationStatus,
  ConversationSummary,
} from '../conversationViews.js';

/** One page of the account's conversations; pass `next` back as `after` for the next one. */
export interface ConversationPage {
  items: ConversationSummary[];
  next: string | null;
}

/** A message that matches a search. */
export interface ConversationSearchHit {
  conversationId: string;
  conversationTitle: string | null;
  messageId: string;
  role: ConversationRole;
  /** Where the words were found, each match between `**` (the text is not HTML-escaped). */
  snippet: string;
  /** Postgres `ts_rank`: higher is a better match. */
  rank: number;
  createdAt: string;
}

export interface ConversationSearchResults {
  items: ConversationSearchHit[];
}

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const summaryColumns = `conversation_id AS "conversationId", title, status, agent_id AS "agentId",
  parent_conversation_id AS "parentConversationId",
  branched_from_message_id AS "branchedFromMessageId", ${iso('created_at')} AS "createdAt",
  ${iso('last_activity_at')} AS "lastActivityAt", message_count AS "messageCount"`;

/** Shown around each match; `**` because a snippet is text a client may render as Markdown. */
const headlineOptions =
  'StartSel=**, StopSel=**, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "';

/**
 * The read-model queries: lists and full-text search, eventually consistent (a conversation or
 * message shows a moment after it was written). Every query is filtered by the account.
 */
export class ConversationQueries {
  constructor(private readonly db: Queryable) {}

  /** Most recently active first. */
  async list(
    accountId: string,
    page: { limit: number; after?: string; status?: ConversationStatus },
  ): Promise<ConversationPage> {
    const cursor = page.after === undefined ? null : parseCursor(page.after);
    const { rows } = await this.db.query<ConversationSummary>(
      `SELECT ${summaryColumns} FROM conversation_summaries
       WHERE account_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (last_activity_at, conversation_id) < ($3, $4::text))
       ORDER BY last_activity_at DESC, conversation_id DESC LIMIT $5`,
      [accountId, page.status ?? null, cursor?.[0] ?? null, cursor?.[1] ?? null, page.limit + 1],
    );
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items,
      next:
        rows.length > page.limit && last
          ? cursorOf(last.lastActivityAt, last.conversationId)
          : null,
    };
  }

  /**
   * Messages whose current text matches `query` (web-search syntax: words, "a phrase", -not,
   * or), best match first. Edit history is not searched.
   */
  async search(
    accountId: string,
    query: string,
    limit: number,
  ): Promise<ConversationSearchResults> {
    const { rows } = await this.db.query<ConversationSearchHit>(
      `SELECT m.conversation_id AS "conversationId", s.title AS "conversationTitle",
         m.message_id AS "messageId", m.role, ts_headline('simple', m.content, q, $4) AS snippet,
         ts_rank(m.search, q) AS rank, ${iso('m.created_at')} AS "createdAt"
       FROM conversation_messages m
       CROSS JOIN websearch_to_tsquery('simple', $2) AS q
       LEFT JOIN conversation_summaries s
         ON s.account_id = m.account_id AND s.conversation_id = m.conversation_id
       WHERE m.account_id = $1 AND m.search @@ q
       ORDER BY rank DESC, m.created_at DESC, m.message_id
       LIMIT $3`,
      [accountId, query, limit, headlineOptions],
    );
    return { items: rows };
  }
}

/** An opaque cursor: the last item's activity time and id, so paging survives new activity. */
function cursorOf(lastActivityAt: string, conversationId: string): string {
  return Buffer.from(JSON.stringify([lastActivityAt, conversationId])).toString('base64url');
}

function parseCursor(after: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // Falls through to the same answer as a well-formed value that is not a cursor.
  }
  throw new AwpError('validation', "invalid request: 'after' is not a cursor this API returned", {
    field: 'after',
  });
}
