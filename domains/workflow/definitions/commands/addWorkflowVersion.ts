import { AwpError } from '../../../../contracts/index.js';
import type { WorkflowDefinitionEvent } from '../../../../contracts/index.js';
import type { Workflow } from '../workflow.js';

export interface AddWorkflowVersion {
  type: 'AddWorkflowVersion';
  data: {
    workflowId: string;
    namespace: string;
    name: string;
    version: string;
    document: string;
    /** Whether the change from the latest version breaks running callers (from dsl/diff). */
    breaking: boolean;
  };
}

/**
 * A new version keeps the workflow's identity (namespace and name) and brings a version
 * string not used before: executions name the version they run, so versions never change.
 */
export function addWorkflowVersion(
  command: AddWorkflowVersion,
  state: Workflow,
): WorkflowDefinitionEvent[] {
  const { data } = command;
  if (!state.exists)
    throw new AwpError('not_found', `workflow '${data.workflowId}' does not exist`);
  if (data.namespace !== state.namespace || data.name !== state.name) {
    throw new AwpError(
      'validation',
      `a new version must keep the workflow's namespace and name ('${state.namespace}/${state.name}'), not '${data.namespace}/${data.name}'`,
      { field: 'document' },
    );
  }
  if (state.versions.some((existing) => existing.version === data.version)) {
    throw new AwpError(
      'conflict',
      `workflow '${state.namespace}/${state.name}' already has version '${data.version}'; raise document.version`,
    );
  }
  const previous = state.versions.at(-1)?.version ?? null;
  return [
    {
      type: 'WorkflowVersionAdded',
      data: { ...data, previousVersion: previous },
    },
  ];
}
