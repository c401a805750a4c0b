import { AwpError } from '../../../../contracts/index.js';
import type { WorkflowDefinitionEvent } from '../../../../contracts/index.js';
import type { Workflow } from '../workflow.js';

export interface CreateWorkflow {
  type: 'CreateWorkflow';
  data: {
    workflowId: string;
    namespace: string;
    name: string;
    version: string;
    /** The DSL text, already validated. */
    document: string;
    sourceConversationId: string | null;
  };
}

export function createWorkflow(
  command: CreateWorkflow,
  state: Workflow,
): WorkflowDefinitionEvent[] {
  if (state.exists)
    throw new AwpError('conflict', `workflow '${command.data.workflowId}' already exists`);
  return [{ type: 'WorkflowCreated', data: { ...command.data } }];
}
