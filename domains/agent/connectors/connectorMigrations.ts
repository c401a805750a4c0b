import type { Migration } from '../../../contracts/index.js';

/**
 * The connector catalog as the agent domain keeps it beside its `ConnectorImported` /
 * `ConnectorRemoved` events (written in their transactions): each tenant's connectors with
 * their documents, and one row per callable operation, searchable by full text.
 */
export const connectorMigrations: readonly Migration[] = [
  {
    id: '2026-11-30-02-agent-connectors',
    sql: `
      CREATE TABLE IF NOT EXISTS agent_connectors (
        account_id         text NOT NULL,
        connector_id       text NOT NULL,
        name               text NOT NULL,
        -- names are unique in an account regardless of case
        name_key           text NOT NULL,
        -- the stream version of the import that wrote this row
        version            integer NOT NULL,
        source             text NOT NULL CHECK (source IN ('upload', 'url')),
        source_url         text,
        document_uri       text NOT NULL,
        -- JSON text, not jsonb: served and digested exactly as stored, and jsonb refuses the
        -- NUL characters a tenant's examples may hold
        document           text NOT NULL,
        document_sha256    text NOT NULL,
        openapi_version    text NOT NULL,
        title              text NOT NULL,
        api_version        text NOT NULL,
        operation_count    integer NOT NULL,
        not_callable       jsonb NOT NULL,
        credential_secret  text,
        imported_at        timestamptz NOT NULL,
        imported_by        jsonb NOT NULL,
        PRIMARY KEY (account_id, connector_id),
        CONSTRAINT agent_connectors_name UNIQUE (account_id, name_key)
      );
      CREATE TABLE IF NOT EXISTS agent_connector_operations (
        account_id    text NOT NULL,
        connector_id  text NOT NULL,
        operation_id  text NOT NULL,
        method        text NOT NULL,
        path          text NOT NULL,
        summary       text,
        description   text,
        -- the extracted operation (parameters, body, responses, effect, security) as JSON text
        operation     text NOT NULL,
        -- operationId and path split into words: 'simple' would keep findPetsByStatus whole
        search_terms  text NOT NULL,
        search        tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('simple', search_terms), 'A') ||
                        setweight(to_tsvector('simple', coalesce(summary, '')), 'B') ||
                        setweight(to_tsvector('simple', coalesce(description, '')), 'C')
                      ) STORED,
        PRIMARY KEY (account_id, connector_id, operation_id),
        FOREIGN KEY (account_id, connector_id)
          REFERENCES agent_connectors (account_id, connector_id) ON DELETE CASCADE
      );
      CREATE INDEX IF NOT EXISTS agent_connector_operations_search
        ON agent_connector_operations USING GIN (search);
      CREATE INDEX IF NOT EXISTS agent_connector_operations_by_id
        ON agent_connector_operations (account_id, operation_id);
    `,
  },
];
