import { AwpError, agentTopic, parseInput } from '../../../contracts/index.js';
import type { Actor, Database, EventStore, Migration } from '../../../contracts/index.js';
import { agentConfigSchema, agentIdPattern, defaultAgentId } from './agentConfig.js';
import type { AgentConfig } from './agentConfig.js';

export const agentConfigMigrations: readonly Migration[] = [
  {
    id: '2026-11-30-01-agent-configs',
    sql: `
      CREATE TABLE IF NOT EXISTS agent_configs (
        account_id  text NOT NULL,
        agent_id    text NOT NULL,
        config      jsonb NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, agent_id)
      );
    `,
  },
];

export interface AgentConfigRequest {
  accountId: string;
  actor: Actor;
  correlationId: string;
}

/** An agent's configuration as the API shows it. */
export interface StoredAgent extends AgentConfig {
  agentId: string;
}

/**
 * Agent configurations per tenant: every change an `AgentConfigured` event, the current
 * configuration a row written with it. Reads are filtered by account.
 */
export class AgentConfigs {
  constructor(private readonly deps: { db: Database; eventStore: EventStore }) {}

  async put(request: AgentConfigRequest, agentId: string, input: unknown): Promise<StoredAgent> {
    if (!agentIdPattern.test(agentId)) {
      throw new AwpError(
        'validation',
        'an agent id is lower-case letters, digits and dashes (at most 63), starting with a letter',
        {
          field: 'agentId',
        },
      );
    }
    const config = parseInput(agentConfigSchema, input, 'agent configuration');
    await this.deps.eventStore.append({
      streamId: `agent-${request.accountId}-${agentId}`,
      expectedVersion: 'any',
      events: [
        {
          type: 'AgentConfigured',
          data: { agentId, name: config.name, configJson: JSON.stringify(config) },
        },
      ],
      metadata: {
        accountId: request.accountId,
        correlationId: request.correlationId,
        causationId: null,
        actor: request.actor,
      },
      topic: agentTopic,
      alongside: [
        {
          sql: `INSERT INTO agent_configs (account_id, agent_id, config, updated_at)
                VALUES ($1, $2, $3, now())
                ON CONFLICT (account_id, agent_id) DO UPDATE SET config = $3, updated_at = now()`,
          params: [request.accountId, agentId, JSON.stringify(config)],
        },
      ],
    });
    return { agentId, ...config };
  }

  async list(accountId: string): Promise<StoredAgent[]> {
    const { rows } = await this.deps.db.query<{ agent_id: string; config: AgentConfig }>(
      'SELECT agent_id, config FROM agent_configs WHERE account_id = $1 ORDER BY agent_id',
      [accountId],
    );
    return rows.map((row) => ({ agentId: row.agent_id, ...row.config }));
  }

  async get(accountId: string, agentId: string): Promise<StoredAgent> {
    const found = await this.find(accountId, agentId);
    if (!found) throw new AwpError('not_found', `agent '${agentId}' does not exist`);
    return found;
  }

  async find(accountId: string, agentId: string): Promise<StoredAgent | undefined> {
    const { rows } = await this.deps.db.query<{ config: AgentConfig }>(
      'SELECT config FROM agent_configs WHERE account_id = $1 AND agent_id = $2',
      [accountId, agentId],
    );
    return rows[0] ? { agentId, ...rows[0].config } : undefined;
  }

  /**
   * The configuration a conversation's agent runs with: the named agent, else the tenant's
   * `default` agent, else nothing (the platform default applies). An unknown named agent is an
   * error rather than a silent fallback.
   */
  async resolve(accountId: string, agentId: string | undefined): Promise<StoredAgent | undefined> {
    if (agentId && agentId !== defaultAgentId) return this.get(accountId, agentId);
    return this.find(accountId, defaultAgentId);
  }
}
