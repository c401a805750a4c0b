import { AwpError, createCommandHandler, workflowTopic } from '../../../contracts/index.js';
import type {
  Actor,
  Database,
  EventStore,
  IdGenerator,
  WorkflowDefinitionEvent,
} from '../../../contracts/index.js';
import { diffWorkflows } from '../../../dsl/index.js';
import type { ValidationOptions, WorkflowDefinition } from '../../../dsl/index.js';
import type { LoadedWorkflow, WorkflowDefinitions } from '../ports/workflowDefinitions.js';
import type { WorkflowSummary } from '../readModels/workflowSummary.js';
import { workflowDecider } from './decide.js';
import { validatedDocument } from './validatedDocument.js';
import { evolveWorkflow, initialWorkflow, workflowStreamId } from './workflow.js';
import type { Workflow } from './workflow.js';

export interface WorkflowRegistryDeps {
  db: Database;
  eventStore: EventStore;
  ids: IdGenerator;
  /** What the validator allows (run kinds an operator enabled). */
  validation?: ValidationOptions;
  /**
   * How long `get` (the API's read of one workflow) reuses what it read; default 1000 ms, 0 for
   * none. Writes through this registry refresh it at once; another replica's show within it.
   */
  detailsCacheMs?: number;
  now?: () => number;
}

/** A workflow as the API shows it. */
export interface WorkflowDetails {
  workflowId: string;
  namespace: string;
  name: string;
  latestVersion: string;
  versions: Array<{ version: string; addedAt: string; breaking: boolean }>;
  createdAt: string;
}

export interface WorkflowChangeRequest {
  accountId: string;
  text: string;
  actor: Actor;
  correlationId: string;
}

/**
 * Workflow definitions and their versions: written as events on `workflow-<id>` (validated by
 * `dsl/` first), read back from the stream for anything that must be current, and from the
 * `workflow_definitions` read model for lists and name lookups.
 */
export class WorkflowRegistry implements WorkflowDefinitions {
  private readonly handle;
  private readonly parsed = new Map<string, WorkflowDefinition>();
  /**
   * `GET /v1/workflows/{id}` is read far more than workflows change, and folding the stream
   * (documents included) per request costs a database round trip each time; a workflow read
   * this second is answered again from here. Only this API read uses it: the engine's `load`
   * and the commands read the stream. The entry holds the read in flight, so the requests that
   * find it stale together share one read rather than each queueing its own.
   */
  private readonly details = new Map<
    string,
    { value: Promise<WorkflowDetails | undefined>; readAt: number }
  >();

  constructor(private readonly deps: WorkflowRegistryDeps) {
    this.handle = createCommandHandler({
      eventStore: deps.eventStore,
      decider: workflowDecider,
      topic: workflowTopic,
    });
  }

  async create(
    request: WorkflowChangeRequest & { sourceConversationId?: string | null },
  ): Promise<WorkflowDetails> {
    const definition = await validatedDocument(request.text, this.deps.validation);
    const { namespace, name, version } = definition.document;
    const workflowId = this.deps.ids.newId();
    await this.handle({
      streamId: workflowStreamId(workflowId),
      command: {
        type: 'CreateWorkflow',
        data: {
          workflowId,
          namespace,
          name,
          version,
          document: request.text,
          sourceConversationId: request.sourceConversationId ?? null,
        },
      },
      metadata: {
        accountId: request.accountId,
        correlationId: request.correlationId,
        causationId: null,
        actor: request.actor,
      },
      uniqueKeys: [
        {
          scope: 'workflow-name',
          value: `${request.accountId}/${namespace}/${name}`,
          takenMessage: `a workflow '${namespace}/${name}' already exists; add a version to it instead`,
        },
      ],
    });
    return (await this.refreshed(request.accountId, workflowId)) as WorkflowDetails;
  }

  async addVersion(
    request: WorkflowChangeRequest & { workflowId: string },
  ): Promise<WorkflowDetails> {
    const current = await this.read(request.accountId, request.workflowId);
    if (!current)
      throw new AwpError('not_found', `workflow '${request.workflowId}' does not exist`);
    const definition = await validatedDocument(request.text, this.deps.validation);
    const latest = current.versions.at(-1);
    const before = latest
      ? await validatedDocument(latest.document, this.deps.validation).catch(() => undefined)
      : undefined;
    const breaking = before ? diffWorkflows(before, definition).breaking : false;
    const { namespace, name, version } = definition.document;
    await this.handle({
      streamId: workflowStreamId(request.workflowId),
      command: {
        type: 'AddWorkflowVersion',
        data: {
          workflowId: request.workflowId,
          namespace,
          name,
          version,
          document: request.text,
          breaking,
        },
      },
      metadata: {
        accountId: request.accountId,
        correlationId: request.correlationId,
        causationId: null,
        actor: request.actor,
      },
    });
    return (await this.refreshed(request.accountId, request.workflowId)) as WorkflowDetails;
  }

  async get(accountId: string, workflowId: string): Promise<WorkflowDetails | undefined> {
    const now = (this.deps.now ?? Date.now)();
    const cached = this.details.get(`${accountId}\u0000${workflowId}`);
    if (cached && now - cached.readAt < (this.deps.detailsCacheMs ?? 1_000)) return cached.value;
    return this.refreshed(accountId, workflowId);
  }

  /** Reads the workflow from its stream and remembers it for `get`. */
  private refreshed(accountId: string, workflowId: string): Promise<WorkflowDetails | undefined> {
    const key = `${accountId}\u0000${workflowId}`;
    const readAt = (this.deps.now ?? Date.now)();
    const value = this.readDetails(accountId, workflowId);
    if (this.details.size >= 10_000) this.details.clear();
    const entry = { value, readAt };
    this.details.set(key, entry);
    // Neither an absent workflow (it may be created on another replica) nor a failed read is
    // remembered past the requests already waiting on it.
    const forget = () => {
      if (this.details.get(key) === entry) this.details.delete(key);
    };
    value.then((found) => found ?? forget(), forget);
    return value;
  }

  private async readDetails(
    accountId: string,
    workflowId: string,
  ): Promise<WorkflowDetails | undefined> {
    const workflow = await this.read(accountId, workflowId);
    if (!workflow) return undefined;
    return {
      workflowId: workflow.workflowId,
      namespace: workflow.namespace,
      name: workflow.name,
      latestVersion: workflow.versions.at(-1)?.version ?? '',
      versions: workflow.versions.map(({ version, addedAt, breaking }) => ({
        version,
        addedAt,
        breaking,
      })),
      createdAt: workflow.createdAt,
    };
  }

  /** The DSL text of one version ('latest' for the newest). */
  async document(
    accountId: string,
    workflowId: string,
    version: string,
  ): Promise<string | undefined> {
    const workflow = await this.read(accountId, workflowId);
    const found =
      version === 'latest'
        ? workflow?.versions.at(-1)
        : workflow?.versions.find((v) => v.version === version);
    return found?.document;
  }

  async list(
    accountId: string,
    page: { limit: number; after?: string },
  ): Promise<{ items: WorkflowSummary[]; next: string | null }> {
    const { rows } = await this.deps.db.query<WorkflowSummary>(
      `SELECT workflow_id AS "workflowId", namespace, name, latest_version AS "latestVersion",
         version_count AS "versionCount",
         to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
         to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
       FROM workflow_definitions
       WHERE account_id = $1 AND ($2::text IS NULL OR workflow_id > $2)
       ORDER BY workflow_id LIMIT $3`,
      [accountId, page.after ?? null, page.limit + 1],
    );
    const items = rows.slice(0, page.limit);
    return { items, next: rows.length > page.limit ? (items.at(-1)?.workflowId ?? null) : null };
  }

  async load(
    accountId: string,
    workflowId: string,
    version: string,
  ): Promise<LoadedWorkflow | undefined> {
    const workflow = await this.read(accountId, workflowId);
    if (!workflow) return undefined;
    const found =
      version === 'latest'
        ? workflow.versions.at(-1)
        : workflow.versions.find((v) => v.version === version);
    if (!found) return undefined;
    // Versions never change, so a parsed one is kept for the life of the process.
    const key = `${workflowId}@${found.version}`;
    let definition = this.parsed.get(key);
    if (!definition) {
      definition = await validatedDocument(found.document, this.deps.validation);
      if (this.parsed.size > 2_000) this.parsed.clear();
      this.parsed.set(key, definition);
    }
    return {
      workflowId,
      namespace: workflow.namespace,
      name: workflow.name,
      version: found.version,
      definition,
    };
  }

  async find(
    accountId: string,
    namespace: string,
    name: string,
    version: string,
  ): Promise<LoadedWorkflow | undefined> {
    const { rows } = await this.deps.db.query<{ workflowId: string }>(
      `SELECT workflow_id AS "workflowId" FROM workflow_definitions WHERE account_id = $1 AND namespace = $2 AND name = $3`,
      [accountId, namespace, name],
    );
    const workflowId = rows[0]?.workflowId;
    return workflowId ? this.load(accountId, workflowId, version) : undefined;
  }

  /** The stream folded; undefined when it does not exist or belongs to another account. */
  private async read(accountId: string, workflowId: string): Promise<Workflow | undefined> {
    const events = await this.deps.eventStore.readStream(workflowStreamId(workflowId));
    if (events.length === 0 || events[0]?.accountId !== accountId) return undefined;
    return events.reduce(
      (state, event) => evolveWorkflow(state, event as unknown as WorkflowDefinitionEvent),
      initialWorkflow(),
    );
  }
}
