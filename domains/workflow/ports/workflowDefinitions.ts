import type { WorkflowDefinition } from '../../../dsl/index.js';

/** A validated workflow version, as the engine runs it. */
export interface LoadedWorkflow {
  workflowId: string;
  namespace: string;
  name: string;
  version: string;
  definition: WorkflowDefinition;
}

/** Where the engine finds the workflows it runs (the definitions of the account). */
export interface WorkflowDefinitions {
  load(accountId: string, workflowId: string, version: string): Promise<LoadedWorkflow | undefined>;
  /** For `run: workflow`: by namespace, name and version (`latest` for the newest). */
  find(
    accountId: string,
    namespace: string,
    name: string,
    version: string,
  ): Promise<LoadedWorkflow | undefined>;
}
