import type { Migration } from '../../../contracts/index.js';

/** The conversation domain's read models: the truth is in the `conversation-<id>` streams. */
export const conversationMigrations: readonly Migration[] = [
  {
    id: '2026-12-01-00-conversation-read-models',
    sql: `
      CREATE TABLE IF NOT EXISTS conversation_summaries (
        account_id                text NOT NULL,
        conversation_id           text NOT NULL,
        title                     text,
        status                    text NOT NULL CHECK (status IN ('open', 'ended')),
        agent_id                  text,
        parent_conversation_id    text,
        branched_from_message_id  text,
        started_by                text NOT NULL,
        created_at                timestamptz NOT NULL,
        last_activity_at          timestamptz NOT NULL,
        message_count             integer NOT NULL DEFAULT 0,
        stream_version            integer NOT NULL,
        PRIMARY KEY (account_id, conversation_id)
      );
      -- The list: most recently active first, keyset-paged on (last activity, id).
      CREATE INDEX IF NOT EXISTS conversation_summaries_activity
        ON conversation_summaries (account_id, last_activity_at DESC, conversation_id DESC);

      CREATE TABLE IF NOT EXISTS conversation_messages (
        account_id         text NOT NULL,
        conversation_id    text NOT NULL,
        message_id         text NOT NULL,
        role               text NOT NULL,
        content            text NOT NULL,
        parent_message_id  text,
        agent_id           text,
        edited             boolean NOT NULL DEFAULT false,
        -- earlier texts, oldest first: [{ editId, content, replacedAt }]
        edit_history       jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        stream_version     integer NOT NULL,
        -- 'simple': no stemming or stop words, so any language (and identifiers) can be found.
        search             tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
        PRIMARY KEY (account_id, conversation_id, message_id)
      );
      CREATE INDEX IF NOT EXISTS conversation_messages_search
        ON conversation_messages USING gin (search);
    `,
  },
];
