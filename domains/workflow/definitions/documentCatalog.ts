import type { DslProblem } from '../../../dsl/index.js';
import { validatedDocument } from './validatedDocument.js';
import type { LoadedWorkflow, WorkflowDefinitions } from '../ports/workflowDefinitions.js';

/**
 * Workflows held in memory, validated on the way in: what an ephemeral engine (`awp run`, the
 * conformance runner, dry runs) runs. Each document is its own workflow, identified by
 * `namespace/name/version`. A document added for one account is seen by that account only,
 * before any added for all (dry runs of the same workflow side by side each see their own);
 * `forget` drops an account's.
 */
export class DocumentCatalog implements WorkflowDefinitions {
  /** Keyed by `<account or empty>|namespace/name@version`. */
  private readonly byKey = new Map<string, LoadedWorkflow>();

  /** Validates and adds a document; throws `validation` with the positioned problems. */
  async add(text: string, accountId?: string): Promise<LoadedWorkflow> {
    const definition = await validatedDocument(text);
    const { namespace, name, version } = definition.document;
    const loaded: LoadedWorkflow = {
      workflowId: `${namespace}/${name}`,
      namespace,
      name,
      version,
      definition,
    };
    this.byKey.set(`${accountId ?? ''}|${namespace}/${name}@${version}`, loaded);
    return loaded;
  }

  /** Drops the documents added for the account. */
  forget(accountId: string): void {
    for (const key of this.byKey.keys()) {
      if (key.startsWith(`${accountId}|`)) this.byKey.delete(key);
    }
  }

  load(
    accountId: string,
    workflowId: string,
    version: string,
  ): Promise<LoadedWorkflow | undefined> {
    return Promise.resolve(
      this.byKey.get(`${accountId}|${workflowId}@${version}`) ??
        this.byKey.get(`|${workflowId}@${version}`),
    );
  }

  find(
    accountId: string,
    namespace: string,
    name: string,
    version: string,
  ): Promise<LoadedWorkflow | undefined> {
    if (version !== 'latest') return this.load(accountId, `${namespace}/${name}`, version);
    const visible = (owner: string) =>
      [...this.byKey.entries()]
        .filter(
          ([key, w]) => key.startsWith(`${owner}|`) && w.namespace === namespace && w.name === name,
        )
        .map(([, w]) => w);
    return Promise.resolve(visible(accountId).at(-1) ?? visible('').at(-1));
  }
}

export function formatProblem(problem: DslProblem): string {
  return `${problem.line}:${problem.column} ${problem.message}`;
}
