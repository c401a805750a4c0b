import type { Migration } from '../../../contracts/index.js';

/**
 * Drafts as the agent domain keeps them beside its `DSLGenerated` / `DraftApproved` events
 * (written in the same transaction): the document, its check and its summary, for the drafts
 * API. The events stay the record; this table is the domain's own state.
 */
export const draftMigrations: readonly Migration[] = [
  {
    id: '2026-11-30-00-agent-drafts',
    sql: `
      CREATE TABLE IF NOT EXISTS agent_drafts (
        draft_id          text PRIMARY KEY,
        account_id        text NOT NULL,
        conversation_id   text NOT NULL,
        previous_draft_id text,
        agent_id          text NOT NULL,
        document          text NOT NULL,
        valid             boolean NOT NULL,
        problems          jsonb NOT NULL,
        open_questions    jsonb NOT NULL,
        summary           text NOT NULL,
        side_effects      jsonb NOT NULL,
        repair_rounds     integer NOT NULL,
        model             text NOT NULL,
        created_at        timestamptz NOT NULL,
        status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
        workflow_id       text,
        workflow_version  text
      );
      CREATE INDEX IF NOT EXISTS agent_drafts_by_conversation
        ON agent_drafts (account_id, conversation_id, created_at);
    `,
  },
  {
    id: '2026-11-30-04-agent-draft-simulations',
    sql: `ALTER TABLE agent_drafts ADD COLUMN IF NOT EXISTS simulation jsonb;`,
  },
];
