import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../contracts/index.js';
import { monthOf, usageChangeOf } from './usageProjection.js';

const envelope = (type: string, data: object, occurredAt = '2026-11-27T08:00:00.000Z') =>
  ({
    eventId: '01938a1e-7c2f-7b4a-9d3e-5f6a7b8c9d0e',
    type,
    accountId: 'acc-1',
    streamId: 'execution-ex-1',
    streamVersion: 1,
    occurredAt,
    correlationId: 'corr-1',
    causationId: null,
    actor: { type: 'user', id: 'u-1' },
    schemaVersion: 1,
    data,
  }) satisfies EventEnvelope;

describe('usage changes described by workflow events', () => {
  it('counts a created workflow', () => {
    expect(usageChangeOf(envelope('WorkflowCreated', { workflowId: 'wf-1', name: 'x' }))).toEqual({
      kind: 'workflow_created',
      accountId: 'acc-1',
      workflowId: 'wf-1',
      at: '2026-11-27T08:00:00.000Z',
    });
  });

  it('counts a started execution in the UTC month it started', () => {
    const started = envelope(
      'WorkflowExecutionStarted',
      { workflowId: 'wf-1', executionId: 'ex-1', trigger: 'api' },
      '2026-11-30T23:30:00.000-01:00',
    );
    expect(usageChangeOf(started)).toMatchObject({
      kind: 'execution_started',
      executionId: 'ex-1',
      month: '2026-12',
    });
  });

  it('ends an execution on completion, failure or cancellation', () => {
    for (const type of ['WorkflowCompleted', 'WorkflowFailed', 'ExecutionCancelled']) {
      expect(usageChangeOf(envelope(type, { workflowId: 'wf-1', executionId: 'ex-1' }))).toEqual({
        kind: 'execution_ended',
        accountId: 'acc-1',
        executionId: 'ex-1',
      });
    }
  });

  it('ignores events that meter nothing', () => {
    for (const type of ['TaskStarted', 'ExecutionSuspended', 'WorkflowVersionAdded']) {
      expect(usageChangeOf(envelope(type, { executionId: 'ex-1' }))).toBeNull();
    }
  });

  it('names months as YYYY-MM in UTC', () => {
    expect(monthOf('2026-01-01T00:30:00+01:00')).toBe('2025-12');
    expect(monthOf(new Date('2026-02-28T12:00:00Z'))).toBe('2026-02');
  });
});
