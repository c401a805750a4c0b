import { agentTopic, workflowTopic } from '../../../contracts/index.js';
import type {
  AgentResponseData,
  EventEnvelope,
  Projection,
  Queryable,
  WorkflowCreatedData,
  WorkflowExecutionStartedData,
} from '../../../contracts/index.js';

/** What one event changes in an account's usage. */
export type UsageChange =
  | { kind: 'workflow_created'; accountId: string; workflowId: string; at: string }
  | {
      kind: 'execution_started';
      accountId: string;
      executionId: string;
      month: string;
      at: string;
    }
  | { kind: 'execution_ended'; accountId: string; executionId: string }
  | { kind: 'llm_tokens'; accountId: string; month: string; tokens: number };

/** The calendar month (UTC) an instant falls in, as `YYYY-MM`. */
export const monthOf = (instant: string | Date): string =>
  new Date(instant).toISOString().slice(0, 7);

const endingTypes = new Set(['WorkflowCompleted', 'WorkflowFailed', 'ExecutionCancelled']);

/** Pure: the usage change an event describes, or null for events that meter nothing. */
export function usageChangeOf(event: EventEnvelope): UsageChange | null {
  const { accountId } = event;
  if (event.type === 'WorkflowCreated') {
    const { workflowId } = event.data as WorkflowCreatedData;
    return { kind: 'workflow_created', accountId, workflowId, at: event.occurredAt };
  }
  if (event.type === 'WorkflowExecutionStarted') {
    const { executionId } = event.data as WorkflowExecutionStartedData;
    const at = event.occurredAt;
    return { kind: 'execution_started', accountId, executionId, month: monthOf(at), at };
  }
  if (event.type === 'AgentResponse') {
    const { inputTokens, outputTokens } = event.data as AgentResponseData;
    const tokens = Number(inputTokens) + Number(outputTokens);
    return { kind: 'llm_tokens', accountId, month: monthOf(event.occurredAt), tokens };
  }
  if (endingTypes.has(event.type)) {
    const { executionId } = event.data as { executionId: string };
    return { kind: 'execution_ended', accountId, executionId };
  }
  return null;
}

/**
 * `platform.usage`: per account, the workflows it has, the executions it started per calendar
 * month (UTC, by the start event's `occurredAt`) and those still running.
 *
 * Exactly-once comes from the runner, which records each event id in the transaction of `apply`
 * (projections/projectionRunner.ts, `applyOnce`). Beyond that, workflows and running executions
 * are rows keyed by their id rather than counters: a start seen again while its execution runs
 * inserts nothing (and the month's counter moves only when a start inserted its row), and an
 * execution with two terminal events (failed, then cancelled) is removed once, never counted
 * below zero. Per-account order on the topic puts an execution's start before its end.
 *
 * Reads the workflow topic and the agent's: every `AgentResponse` adds its input and output
 * tokens to the month it was answered in. The platform topic carries nothing metered (tiers
 * are read from `platform_tenants` when a request is admitted).
 */
export const usageProjection: Projection = {
  name: 'platform.usage',
  topics: [workflowTopic, agentTopic],
  async apply(tx, event) {
    const change = usageChangeOf(event);
    if (change !== null) await applyUsageChange(tx, change);
  },
  async reset(tx) {
    await tx.query('DELETE FROM platform_usage_workflows');
    await tx.query('DELETE FROM platform_usage_running');
    await tx.query('DELETE FROM platform_usage_monthly');
  },
};

async function applyUsageChange(tx: Queryable, change: UsageChange): Promise<void> {
  switch (change.kind) {
    case 'workflow_created':
      await tx.query(
        `INSERT INTO platform_usage_workflows (account_id, workflow_id, created_at)
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [change.accountId, change.workflowId, change.at],
      );
      return;
    case 'execution_started':
      await tx.query(
        `WITH started AS (
           INSERT INTO platform_usage_running (account_id, execution_id, started_at)
           VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING account_id)
         INSERT INTO platform_usage_monthly (account_id, month, executions_started)
         SELECT account_id, $4, 1 FROM started
         ON CONFLICT (account_id, month) DO UPDATE
           SET executions_started = platform_usage_monthly.executions_started + 1`,
        [change.accountId, change.executionId, change.at, change.month],
      );
      return;
    case 'execution_ended':
      await tx.query(
        'DELETE FROM platform_usage_running WHERE account_id = $1 AND execution_id = $2',
        [change.accountId, change.executionId],
      );
      return;
    case 'llm_tokens':
      await tx.query(
        `INSERT INTO platform_usage_monthly (account_id, month, llm_tokens)
         VALUES ($1, $2, $3)
         ON CONFLICT (account_id, month) DO UPDATE
           SET llm_tokens = platform_usage_monthly.llm_tokens + EXCLUDED.llm_tokens`,
        [change.accountId, change.month, change.tokens],
      );
      return;
    default: {
      const unknownChange: never = change;
      return unknownChange;
    }
  }
}
