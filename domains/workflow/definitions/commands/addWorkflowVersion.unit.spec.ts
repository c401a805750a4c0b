import { describe, it } from 'vitest';
import type { WorkflowDefinitionEvent } from '../../../../contracts/index.js';
import { deciderSpec } from '../../../../test/support/deciderSpec.js';
import { workflowDecider } from '../decide.js';
import type { AddWorkflowVersion } from './addWorkflowVersion.js';

const spec = deciderSpec(workflowDecider);

const created: WorkflowDefinitionEvent = {
  type: 'WorkflowCreated',
  data: {
    workflowId: 'wf-1',
    name: 'order-intake',
    version: '1.0.0',
    sourceConversationId: null,
    namespace: 'sales',
    document: 'version 1.0.0',
  },
};

const addVersion = (
  version: string,
  change: Partial<AddWorkflowVersion['data']> = {},
): AddWorkflowVersion => ({
  type: 'AddWorkflowVersion',
  data: {
    workflowId: 'wf-1',
    namespace: 'sales',
    name: 'order-intake',
    version,
    document: `version ${version}`,
    breaking: false,
    ...change,
  },
});

const versionAdded = (
  version: string,
  previousVersion: string | null,
  breaking = false,
): WorkflowDefinitionEvent => ({
  type: 'WorkflowVersionAdded',
  data: {
    workflowId: 'wf-1',
    namespace: 'sales',
    name: 'order-intake',
    version,
    document: `version ${version}`,
    previousVersion,
    breaking,
  },
});

describe('AddWorkflowVersion', () => {
  it('adds a version after the one the workflow was created with', () => {
    spec
      .given([created])
      .when(addVersion('1.1.0'))
      .then([versionAdded('1.1.0', '1.0.0')]);
  });

  it('names the latest version as the previous one', () => {
    spec
      .given([created, versionAdded('1.1.0', '1.0.0'), versionAdded('1.2.0', '1.1.0')])
      .when(addVersion('2.0.0', { breaking: true }))
      .then([versionAdded('2.0.0', '1.2.0', true)]);
  });

  it('refuses a version of a workflow that does not exist', () => {
    spec
      .given([])
      .when(addVersion('1.1.0'))
      .thenFails('not_found', "workflow 'wf-1' does not exist");
  });

  it('refuses a version that renames the namespace', () => {
    spec
      .given([created])
      .when(addVersion('1.1.0', { namespace: 'billing' }))
      .thenFails('validation', "not 'billing/order-intake'");
  });

  it('refuses a version that renames the workflow', () => {
    spec
      .given([created])
      .when(addVersion('1.1.0', { name: 'order-intake-v2' }))
      .thenFails('validation', 'must keep the workflow');
  });

  it('refuses the version the workflow was created with', () => {
    spec
      .given([created])
      .when(addVersion('1.0.0'))
      .thenFails('conflict', "already has version '1.0.0'");
  });

  it('refuses a version that was added before', () => {
    spec
      .given([created, versionAdded('1.1.0', '1.0.0'), versionAdded('1.2.0', '1.1.0')])
      .when(addVersion('1.1.0'))
      .thenFails('conflict', "workflow 'sales/order-intake' already has version '1.1.0'");
  });
});
