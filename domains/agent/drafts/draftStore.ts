import { AwpError, agentTopic } from '../../../contracts/index.js';
import type { Actor, Clock, Database, EventStore, IdGenerator } from '../../../contracts/index.js';
import type { DslProblem } from '../../../dsl/index.js';
import type { SideEffect } from '../generation/draftSummary.js';
import { assertConversationOwned, awaitConversationOwned } from './conversationOwners.js';
import type { SimulationTrace } from './simulationTrace.js';

export interface Draft {
  draftId: string;
  conversationId: string;
  previousDraftId: string | null;
  agentId: string;
  document: string;
  /** Passed validation, grounding and has no open placeholder: approvable. */
  valid: boolean;
  problems: DslProblem[];
  openQuestions: { question: string; problem: DslProblem }[];
  summary: string;
  sideEffects: SideEffect[];
  repairRounds: number;
  model: string;
  createdAt: string;
  status: 'draft' | 'approved';
  workflowId: string | null;
  workflowVersion: string | null;
  /** The latest dry run, when the user asked for one. */
  simulation: SimulationTrace | null;
}

export type NewDraft = Omit<
  Draft,
  'draftId' | 'createdAt' | 'status' | 'workflowId' | 'workflowVersion' | 'simulation'
>;

export interface DraftRequest {
  accountId: string;
  actor: Actor;
  correlationId: string;
}

interface DraftRow {
  draft_id: string;
  conversation_id: string;
  previous_draft_id: string | null;
  agent_id: string;
  document: string;
  valid: boolean;
  problems: DslProblem[];
  open_questions: Draft['openQuestions'];
  summary: string;
  side_effects: SideEffect[];
  repair_rounds: number;
  model: string;
  created_at: Date;
  status: Draft['status'];
  workflow_id: string | null;
  workflow_version: string | null;
  simulation: SimulationTrace | null;
}

export const draftStreamId = (conversationId: string) => `drafts-${conversationId}`;

export interface DraftStoreDeps {
  db: Database;
  eventStore: EventStore;
  ids: IdGenerator;
  clock: Clock;
}

/**
 * The drafts of each conversation: every generated document is a `DSLGenerated` event on the
 * conversation's draft stream, its row written in the same transaction; approval is a
 * `DraftApproved` event, reserved once per draft. Every read is filtered by account.
 */
export class DraftStore {
  constructor(private readonly deps: DraftStoreDeps) {}

  async record(request: DraftRequest, draft: NewDraft): Promise<Draft> {
    const draftId = this.deps.ids.newId();
    const createdAt = this.deps.clock.now();
    await this.deps.eventStore.append({
      streamId: draftStreamId(draft.conversationId),
      expectedVersion: 'any',
      events: [
        {
          type: 'DSLGenerated',
          data: {
            conversationId: draft.conversationId,
            agentId: draft.agentId,
            dslContent: draft.document,
            model: draft.model,
            repairRounds: draft.repairRounds,
            draftId,
            previousDraftId: draft.previousDraftId,
            valid: draft.valid,
            validationReport: JSON.stringify([
              ...draft.problems,
              ...draft.openQuestions.map((q) => q.problem),
            ]),
            summary: draft.summary,
          },
        },
      ],
      metadata: this.metadata(request),
      topic: agentTopic,
      alongside: [
        {
          sql: `INSERT INTO agent_drafts (draft_id, account_id, conversation_id, previous_draft_id,
                  agent_id, document, valid, problems, open_questions, summary, side_effects,
                  repair_rounds, model, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          params: [
            draftId,
            request.accountId,
            draft.conversationId,
            draft.previousDraftId,
            draft.agentId,
            draft.document,
            draft.valid,
            JSON.stringify(draft.problems),
            JSON.stringify(draft.openQuestions),
            draft.summary,
            JSON.stringify(draft.sideEffects),
            draft.repairRounds,
            draft.model,
            createdAt,
          ],
        },
      ],
    });
    return {
      ...draft,
      draftId,
      createdAt: createdAt.toISOString(),
      status: 'draft',
      workflowId: null,
      workflowVersion: null,
      simulation: null,
    };
  }

  /**
   * Keeps a dry run's trace with the draft. Not an event: a dry run changes nothing, and the
   * trace is shown, not acted on; the next dry run replaces it.
   */
  async recordSimulation(accountId: string, draft: Draft, trace: SimulationTrace): Promise<Draft> {
    await this.deps.db.query(
      'UPDATE agent_drafts SET simulation = $3 WHERE account_id = $1 AND draft_id = $2',
      [accountId, draft.draftId, JSON.stringify(trace)],
    );
    return { ...draft, simulation: trace };
  }

  /**
   * Throws `not_found` unless the conversation is the account's, before a reply writes drafts
   * into it, waiting up to `waitMs` for a conversation just started elsewhere to be heard of.
   */
  async awaitOwned(accountId: string, conversationId: string, waitMs: number): Promise<void> {
    await awaitConversationOwned(this.deps.db, accountId, conversationId, waitMs);
  }

  /** The conversation's drafts; 404 for a conversation of another account. */
  async listOwned(accountId: string, conversationId: string): Promise<Draft[]> {
    await assertConversationOwned(this.deps.db, accountId, conversationId);
    return this.list(accountId, conversationId);
  }

  async list(accountId: string, conversationId: string): Promise<Draft[]> {
    const { rows } = await this.deps.db.query<DraftRow>(
      `SELECT * FROM agent_drafts WHERE account_id = $1 AND conversation_id = $2
        ORDER BY created_at, draft_id`,
      [accountId, conversationId],
    );
    return rows.map(draftOf);
  }

  async latest(accountId: string, conversationId: string): Promise<Draft | undefined> {
    return (await this.list(accountId, conversationId)).at(-1);
  }

  /** 404 for a draft of another account or another conversation: no existence leak. */
  async get(accountId: string, conversationId: string, draftId: string): Promise<Draft> {
    const { rows } = await this.deps.db.query<DraftRow>(
      `SELECT * FROM agent_drafts WHERE account_id = $1 AND conversation_id = $2 AND draft_id = $3`,
      [accountId, conversationId, draftId],
    );
    const row = rows[0];
    if (!row)
      throw new AwpError('not_found', `draft '${draftId}' does not exist in this conversation`);
    return draftOf(row);
  }

  /** Records the approval once; a second approval of the same draft is a conflict. */
  async markApproved(
    request: DraftRequest,
    draft: Draft,
    workflow: { workflowId: string; version: string },
  ): Promise<Draft> {
    await this.deps.eventStore.append({
      streamId: draftStreamId(draft.conversationId),
      expectedVersion: 'any',
      events: [
        {
          type: 'DraftApproved',
          data: {
            conversationId: draft.conversationId,
            draftId: draft.draftId,
            workflowId: workflow.workflowId,
            workflowVersion: workflow.version,
          },
        },
      ],
      metadata: this.metadata(request),
      topic: agentTopic,
      uniqueKeys: [
        {
          scope: 'draft-approval',
          value: draft.draftId,
          takenMessage: `draft '${draft.draftId}' is already approved`,
        },
      ],
      alongside: [
        {
          sql: `UPDATE agent_drafts SET status = 'approved', workflow_id = $3, workflow_version = $4
                 WHERE account_id = $1 AND draft_id = $2`,
          params: [request.accountId, draft.draftId, workflow.workflowId, workflow.version],
        },
      ],
    });
    return {
      ...draft,
      status: 'approved',
      workflowId: workflow.workflowId,
      workflowVersion: workflow.version,
    };
  }

  private metadata(request: DraftRequest) {
    return {
      accountId: request.accountId,
      correlationId: request.correlationId,
      causationId: null,
      actor: request.actor,
    };
  }
}

function draftOf(row: DraftRow): Draft {
  return {
    draftId: row.draft_id,
    conversationId: row.conversation_id,
    previousDraftId: row.previous_draft_id,
    agentId: row.agent_id,
    document: row.document,
    valid: row.valid,
    problems: row.problems,
    openQuestions: row.open_questions,
    summary: row.summary,
    sideEffects: row.side_effects,
    repairRounds: row.repair_rounds,
    model: row.model,
    createdAt: row.created_at.toISOString(),
    status: row.status,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    simulation: row.simulation,
  };
}
