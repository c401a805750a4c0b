import type { Database, Migration } from '../../../../contracts/index.js';
import type { ExecutionStatus } from './executionState.js';

/**
 * The engine's own index of executions: what to list, what to recover after a restart, when to
 * wake a parked execution, and which process runs which (a lease). The event streams stay the
 * truth; this table says where to look.
 */
export const executionIndexMigrations: readonly Migration[] = [
  {
    id: '2026-11-28-01-workflow-executions',
    sql: `
      CREATE TABLE IF NOT EXISTS workflow_executions (
        execution_id         text PRIMARY KEY,
        account_id           text NOT NULL,
        workflow_id          text NOT NULL,
        workflow_name        text NOT NULL,
        workflow_version     text NOT NULL,
        status               text NOT NULL,
        parent_execution_id  text,
        depth                integer NOT NULL DEFAULT 0,
        wake_at              timestamptz,
        owner                text,
        lease_until          timestamptz,
        started_at           timestamptz NOT NULL,
        updated_at           timestamptz NOT NULL,
        ended_at             timestamptz
      );
      CREATE INDEX IF NOT EXISTS workflow_executions_account
        ON workflow_executions (account_id, started_at DESC, execution_id DESC);
      CREATE INDEX IF NOT EXISTS workflow_executions_wake
        ON workflow_executions (wake_at) WHERE wake_at IS NOT NULL;
      CREATE TABLE IF NOT EXISTS workflow_event_subscriptions (
        execution_id  text NOT NULL,
        task_key      text NOT NULL,
        account_id    text NOT NULL,
        filter_json   text NOT NULL,
        -- The event types the filters name; NULL when one of them accepts any type.
        event_types   text[],
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (execution_id, task_key)
      );
      CREATE INDEX IF NOT EXISTS workflow_event_subscriptions_account
        ON workflow_event_subscriptions (account_id);
    `,
  },
];

export interface IndexedExecution {
  executionId: string;
  accountId: string;
  workflowId: string;
  workflowName: string;
  workflowVersion: string;
  status: ExecutionStatus;
  parentExecutionId: string | null;
  depth: number;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export interface NewExecution {
  executionId: string;
  accountId: string;
  workflowId: string;
  workflowName: string;
  workflowVersion: string;
  parentExecutionId: string | null;
  depth: number;
}

export interface Subscription {
  executionId: string;
  taskKey: string;
  filterJson: string;
}

const columns = `execution_id AS "executionId", account_id AS "accountId", workflow_id AS "workflowId",
  workflow_name AS "workflowName", workflow_version AS "workflowVersion", status,
  parent_execution_id AS "parentExecutionId", depth,
  to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt",
  to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "endedAt"`;

const leaseInterval = `make_interval(secs => $3::double precision / 1000)`;

export class ExecutionIndex {
  constructor(
    private readonly db: Database,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** Adds an execution, owned by this process. False when it exists already. */
  async add(execution: NewExecution): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO workflow_executions (execution_id, account_id, workflow_id, workflow_name, workflow_version,
         status, parent_execution_id, depth, owner, lease_until, started_at, updated_at)
       VALUES ($1, $2, $4, $5, $6, 'running', $7, $8, $9, now() + make_interval(secs => $3::double precision / 1000), now(), now())
       ON CONFLICT (execution_id) DO NOTHING`,
      [
        execution.executionId,
        execution.accountId,
        this.leaseMs,
        execution.workflowId,
        execution.workflowName,
        execution.workflowVersion,
        execution.parentExecutionId,
        execution.depth,
        this.owner,
      ],
    );
    return rowCount === 1;
  }

  /** Takes (or renews) the lease on an execution; false when another live process holds it. */
  async claim(executionId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE workflow_executions SET owner = $2, lease_until = now() + ${leaseInterval}, wake_at = NULL,
         status = CASE WHEN status = 'waiting' THEN 'running' ELSE status END
       WHERE execution_id = $1 AND status NOT IN ('completed', 'faulted', 'cancelled')
         AND (owner IS NULL OR owner = $2 OR lease_until < now())`,
      [executionId, this.owner, this.leaseMs],
    );
    return rowCount === 1;
  }

  async renew(executionIds: readonly string[]): Promise<void> {
    if (executionIds.length === 0) return;
    await this.db.query(
      `UPDATE workflow_executions SET lease_until = now() + ${leaseInterval}
       WHERE execution_id = ANY($1::text[]) AND owner = $2`,
      [executionIds, this.owner, this.leaseMs],
    );
  }

  /** Records where an execution stands and gives up its lease (parked or finished). */
  async release(
    executionId: string,
    status: ExecutionStatus,
    wakeAt: number | null,
  ): Promise<void> {
    const ended = ['completed', 'faulted', 'cancelled'].includes(status);
    await this.db.query(
      // LEAST keeps a wake-up someone asked for while this process ran it (an event delivered
      // through the log, a resume): releasing must not lose it.
      `UPDATE workflow_executions SET status = $2, wake_at = LEAST(wake_at, $3::timestamptz), owner = NULL, lease_until = NULL,
         updated_at = now(), ended_at = CASE WHEN $4::boolean THEN now() ELSE ended_at END
       WHERE execution_id = $1`,
      [executionId, status, wakeAt === null ? null : new Date(wakeAt), ended],
    );
  }

  async setStatus(executionId: string, status: ExecutionStatus): Promise<void> {
    const ended = ['completed', 'faulted', 'cancelled'].includes(status);
    await this.db.query(
      `UPDATE workflow_executions SET status = $2, updated_at = now(),
         ended_at = CASE WHEN $3::boolean THEN now() ELSE ended_at END
       WHERE execution_id = $1`,
      [executionId, status, ended],
    );
  }

  /** Asks whoever runs (or will run) the execution to look at its stream again now. */
  async wake(executionId: string): Promise<void> {
    await this.db.query(
      `UPDATE workflow_executions SET wake_at = now()
       WHERE execution_id = $1 AND status NOT IN ('completed', 'faulted', 'cancelled')`,
      [executionId],
    );
  }

  /** Executions due to run: woken, due timers, or abandoned by a process that died. */
  async due(limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ executionId: string }>(
      `SELECT execution_id AS "executionId" FROM workflow_executions
       WHERE status NOT IN ('completed', 'faulted', 'cancelled')
         AND ((wake_at IS NOT NULL AND wake_at <= now())
              OR (status = 'running' AND (owner IS NULL OR lease_until < now())))
       ORDER BY wake_at NULLS FIRST LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.executionId);
  }

  /** Executions woken while this process holds them (a cancel or an event from elsewhere). */
  async wokenOwned(): Promise<string[]> {
    const { rows } = await this.db.query<{ executionId: string }>(
      `SELECT execution_id AS "executionId" FROM workflow_executions
       WHERE owner = $1 AND wake_at IS NOT NULL AND wake_at <= now()`,
      [this.owner],
    );
    return rows.map((row) => row.executionId);
  }

  /** In the embedded profile this process is the only one: leases of a previous run are void. */
  async releaseAllLeases(): Promise<void> {
    await this.db.query(
      `UPDATE workflow_executions SET owner = NULL, lease_until = NULL WHERE owner IS NOT NULL`,
    );
  }

  async get(accountId: string, executionId: string): Promise<IndexedExecution | undefined> {
    const { rows } = await this.db.query<IndexedExecution>(
      `SELECT ${columns} FROM workflow_executions WHERE account_id = $1 AND execution_id = $2`,
      [accountId, executionId],
    );
    return rows[0];
  }

  async find(executionId: string): Promise<IndexedExecution | undefined> {
    const { rows } = await this.db.query<IndexedExecution>(
      `SELECT ${columns} FROM workflow_executions WHERE execution_id = $1`,
      [executionId],
    );
    return rows[0];
  }

  async list(
    accountId: string,
    options: { limit: number; workflowId?: string; status?: string; before?: string },
  ): Promise<IndexedExecution[]> {
    const { rows } = await this.db.query<IndexedExecution>(
      `SELECT ${columns} FROM workflow_executions
       WHERE account_id = $1
         AND ($2::text IS NULL OR workflow_id = $2)
         AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR execution_id < $4)
       ORDER BY execution_id DESC LIMIT $5`,
      [
        accountId,
        options.workflowId ?? null,
        options.status ?? null,
        options.before ?? null,
        options.limit,
      ],
    );
    return rows;
  }

  async subscribe(
    accountId: string,
    executionId: string,
    taskKey: string,
    filterJson: string,
    eventTypes: readonly string[] | null,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO workflow_event_subscriptions (execution_id, task_key, account_id, filter_json, event_types)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (execution_id, task_key) DO NOTHING`,
      [executionId, taskKey, accountId, filterJson, eventTypes],
    );
  }

  async unsubscribe(executionId: string, taskKey?: string): Promise<void> {
    await this.db.query(
      `DELETE FROM workflow_event_subscriptions WHERE execution_id = $1 AND ($2::text IS NULL OR task_key = $2)`,
      [executionId, taskKey ?? null],
    );
  }

  /** The account's subscriptions that may want an event of `eventType` (filters decide). */
  async subscriptions(accountId: string, eventType: string): Promise<Subscription[]> {
    const { rows } = await this.db.query<Subscription>(
      `SELECT execution_id AS "executionId", task_key AS "taskKey", filter_json AS "filterJson"
       FROM workflow_event_subscriptions
       WHERE account_id = $1 AND (event_types IS NULL OR $2 = ANY(event_types))
       ORDER BY created_at, execution_id, task_key`,
      [accountId, eventType],
    );
    return rows;
  }
}
