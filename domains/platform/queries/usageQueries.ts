import type { Queryable } from '../../../contracts/index.js';

/** What an account uses now, as the usage projection last saw it. */
export interface MeteredUsage {
  workflows: number;
  /** Executions started in `month`. */
  executionsThisMonth: number;
  /** Executions started and not yet completed, failed or cancelled. */
  runningExecutions: number;
  /** LLM tokens used in `month` (no event reports tokens yet: 0). */
  llmTokensThisMonth: number;
  /** The calendar month (UTC) of the monthly figures, `YYYY-MM`. */
  month: string;
}

interface UsageRow {
  workflows: number;
  executions: number;
  running: number;
  llm_tokens: number;
}

/** One round trip: the counts are small per account (bounded by the tier's limits). */
export async function readUsage(
  db: Queryable,
  accountId: string,
  month: string,
): Promise<MeteredUsage> {
  const { rows } = await db.query<UsageRow>(
    `SELECT
       (SELECT count(*) FROM platform_usage_workflows WHERE account_id = $1)::int AS workflows,
       (SELECT count(*) FROM platform_usage_running WHERE account_id = $1)::int AS running,
       coalesce(m.executions_started, 0)::float8 AS executions,
       coalesce(m.llm_tokens, 0)::float8 AS llm_tokens
     FROM (SELECT 1) AS one
     LEFT JOIN platform_usage_monthly m ON m.account_id = $1 AND m.month = $2`,
    [accountId, month],
  );
  const row = rows[0] as UsageRow;
  return {
    workflows: row.workflows,
    executionsThisMonth: row.executions,
    runningExecutions: row.running,
    llmTokensThisMonth: row.llm_tokens,
    month,
  };
}
