import type { DslProblem } from '../../../dsl/index.js';
import { validatedDocument } from './validatedDocument.js';
import type { LoadedWorkflow, WorkflowDefinitions } from '../ports/workflowDefinitions.js';

/**
 * Workflows held in memory, validated on the way in: what an ephemeral engine (`awp run`, the
 * conformance runner) runs. Each document is its own workflow, identified by
 * `namespace/name/version`.
 */
export class DocumentCatalog implements WorkflowDefinitions {
  private readonly byKey = new Map<string, LoadedWorkflow>();

  /** Validates and adds a document; throws `validation` with the positioned problems. */
  async add(text: string): Promise<LoadedWorkflow> {
    const definition = await validatedDocument(text);
    const { namespace, name, version } = definition.document;
    const loaded: LoadedWorkflow = {
      workflowId: `${namespace}/${name}`,
      namespace,
      name,
      version,
      definition,
    };
    this.byKey.set(`${namespace}/${name}@${version}`, loaded);
    return loaded;
  }

  load(
    _accountId: string,
    workflowId: string,
    version: string,
  ): Promise<LoadedWorkflow | undefined> {
    return Promise.resolve(this.byKey.get(`${workflowId}@${version}`));
  }

  find(
    _accountId: string,
    namespace: string,
    name: string,
    version: string,
  ): Promise<LoadedWorkflow | undefined> {
    if (version !== 'latest')
      return Promise.resolve(this.byKey.get(`${namespace}/${name}@${version}`));
    const versions = [...this.byKey.values()].filter(
      (w) => w.namespace === namespace && w.name === name,
    );
    return Promise.resolve(versions.at(-1));
  }
}

export function formatProblem(problem: DslProblem): string {
  return `${problem.line}:${problem.column} ${problem.message}`;
}
