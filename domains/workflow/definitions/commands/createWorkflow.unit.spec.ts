import { describe, it } from 'vitest';
import type { WorkflowDefinitionEvent } from '../../../../contracts/index.js';
import { deciderSpec } from '../../../../test/support/deciderSpec.js';
import { workflowDecider } from '../decide.js';
import type { CreateWorkflow } from './createWorkflow.js';

const spec = deciderSpec(workflowDecider);
const document =
  'document:\n  dsl: 1.0.0\n  namespace: sales\n  name: order-intake\n  version: 1.0.0\n';

const create: CreateWorkflow = {
  type: 'CreateWorkflow',
  data: {
    workflowId: 'wf-1',
    namespace: 'sales',
    name: 'order-intake',
    version: '1.0.0',
    document,
    sourceConversationId: 'conv-9',
  },
};

const created: WorkflowDefinitionEvent = {
  type: 'WorkflowCreated',
  data: {
    workflowId: 'wf-1',
    name: 'order-intake',
    version: '1.0.0',
    sourceConversationId: 'conv-9',
    namespace: 'sales',
    document,
  },
};

describe('CreateWorkflow', () => {
  it('creates a workflow on a new stream', () => {
    spec.given([]).when(create).then([created]);
  });

  it('creates a workflow that no conversation produced', () => {
    spec
      .given([])
      .when({ ...create, data: { ...create.data, sourceConversationId: null } })
      .then([{ type: 'WorkflowCreated', data: { ...created.data, sourceConversationId: null } }]);
  });

  it('refuses to create a workflow that already exists', () => {
    spec.given([created]).when(create).thenFails('conflict', "workflow 'wf-1' already exists");
  });

  it('refuses to create a workflow again after it gained versions', () => {
    spec
      .given([
        created,
        {
          type: 'WorkflowVersionAdded',
          data: {
            workflowId: 'wf-1',
            namespace: 'sales',
            name: 'order-intake',
            version: '1.1.0',
            document,
            previousVersion: '1.0.0',
            breaking: false,
          },
        },
      ])
      .when({ ...create, data: { ...create.data, version: '2.0.0' } })
      .thenFails('conflict');
  });
});
