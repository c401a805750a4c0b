import type { EventEnvelope, WorkflowDefinitionEvent } from '../../../contracts/index.js';

/** A workflow definition as its stream `workflow-<id>` says it is. */
export interface Workflow {
  exists: boolean;
  workflowId: string;
  namespace: string;
  name: string;
  /** Versions in the order they were added; the last is the latest. */
  versions: Array<{ version: string; document: string; addedAt: string; breaking: boolean }>;
  createdAt: string;
}

export const initialWorkflow = (): Workflow => ({
  exists: false,
  workflowId: '',
  namespace: '',
  name: '',
  versions: [],
  createdAt: '',
});

export const workflowStreamId = (workflowId: string) => `workflow-${workflowId}`;

export function evolveWorkflow(state: Workflow, event: WorkflowDefinitionEvent): Workflow {
  const occurredAt = (event as Partial<EventEnvelope>).occurredAt ?? '';
  switch (event.type) {
    case 'WorkflowCreated':
      return {
        exists: true,
        workflowId: event.data.workflowId,
        namespace: event.data.namespace,
        name: event.data.name,
        versions: [
          {
            version: event.data.version,
            document: event.data.document,
            addedAt: occurredAt,
            breaking: false,
          },
        ],
        createdAt: occurredAt,
      };
    case 'WorkflowVersionAdded':
      return {
        ...state,
        versions: [
          ...state.versions,
          {
            version: event.data.version,
            document: event.data.document,
            addedAt: occurredAt,
            breaking: event.data.breaking,
          },
        ],
      };
    default:
      return state;
  }
}
