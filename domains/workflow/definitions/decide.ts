import type { Decider, WorkflowDefinitionEvent } from '../../../contracts/index.js';
import { addWorkflowVersion } from './commands/addWorkflowVersion.js';
import type { AddWorkflowVersion } from './commands/addWorkflowVersion.js';
import { createWorkflow } from './commands/createWorkflow.js';
import type { CreateWorkflow } from './commands/createWorkflow.js';
import { evolveWorkflow, initialWorkflow } from './workflow.js';
import type { Workflow } from './workflow.js';

export type WorkflowCommand = CreateWorkflow | AddWorkflowVersion;

export function decideWorkflow(
  command: WorkflowCommand,
  state: Workflow,
): WorkflowDefinitionEvent[] {
  switch (command.type) {
    case 'CreateWorkflow':
      return createWorkflow(command, state);
    case 'AddWorkflowVersion':
      return addWorkflowVersion(command, state);
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}

export const workflowDecider: Decider<WorkflowCommand, Workflow, WorkflowDefinitionEvent> = {
  initialState: initialWorkflow,
  evolve: evolveWorkflow,
  decide: decideWorkflow,
};
