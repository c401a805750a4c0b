import type {
  EventEnvelope,
  Migration,
  Projection,
  WorkflowDefinitionEvent,
} from '../../../contracts/index.js';
import { workflowTopic } from '../../../contracts/index.js';

/** One row of `workflow_definitions`: what `GET /v1/workflows` lists. */
export interface WorkflowSummary {
  workflowId: string;
  namespace: string;
  name: string;
  latestVersion: string;
  versionCount: number;
  createdAt: string;
  updatedAt: string;
}

export const workflowReadModelMigrations: readonly Migration[] = [
  {
    id: '2026-11-28-00-workflow-definitions',
    sql: `
      CREATE TABLE IF NOT EXISTS workflow_definitions (
        workflow_id     text PRIMARY KEY,
        account_id      text NOT NULL,
        namespace       text NOT NULL,
        name            text NOT NULL,
        latest_version  text NOT NULL,
        version_count   integer NOT NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        stream_version  integer NOT NULL
      );
      CREATE INDEX IF NOT EXISTS workflow_definitions_account ON workflow_definitions (account_id, workflow_id);
      CREATE INDEX IF NOT EXISTS workflow_definitions_name ON workflow_definitions (account_id, namespace, name);
    `,
  },
];

export const workflowsProjection: Projection = {
  name: 'workflow.definitions',
  topics: [workflowTopic],
  async apply(tx, envelope) {
    const event = envelope as EventEnvelope & WorkflowDefinitionEvent;
    if (event.type === 'WorkflowCreated') {
      await tx.query(
        `INSERT INTO workflow_definitions (workflow_id, account_id, namespace, name, latest_version, version_count,
           created_at, updated_at, stream_version)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7)
         ON CONFLICT (workflow_id) DO NOTHING`,
        [
          event.data.workflowId,
          event.accountId,
          event.data.namespace,
          event.data.name,
          event.data.version,
          event.occurredAt,
          event.streamVersion,
        ],
      );
    } else if (event.type === 'WorkflowVersionAdded') {
      // The version guard makes a redelivered or out-of-order event a no-op.
      await tx.query(
        `UPDATE workflow_definitions SET latest_version = $2, version_count = version_count + 1,
           updated_at = $3, stream_version = $4
         WHERE workflow_id = $1 AND stream_version < $4`,
        [event.data.workflowId, event.data.version, event.occurredAt, event.streamVersion],
      );
    }
  },
  async reset(tx) {
    await tx.query('DELETE FROM workflow_definitions');
  },
};
