import { describe, expect, it } from 'vitest';
import {
  executionHistory,
  taskCompletedData,
  taskFaultedData,
  taskStartedData,
  workflowId,
} from '../executions/interpreter/testing/executionHistory.js';
import type { TaskAt } from '../executions/interpreter/testing/executionHistory.js';
import { executionViewOf } from './executionView.js';

const executionId = 'ex-1';
const charge: TaskAt = {
  taskKey: '/do/0/charge',
  taskPath: '/do/0/charge',
  taskName: 'charge',
  taskKind: 'call',
};
const iteration = (i: number): TaskAt => ({
  taskKey: `/do/1/loop[${i}]/for/do/0/ship`,
  taskPath: '/do/1/loop/for/do/0/ship',
  taskName: 'ship',
  taskKind: 'call',
});
const declined = { type: 'https://example.com/errors/declined', status: 402, title: 'Declined' };

const view = (history: ReturnType<typeof executionHistory>, maxTasks?: number) =>
  executionViewOf(executionId, history.events, maxTasks);

describe('executionViewOf', () => {
  it('shows the workflow, its input and when it started', () => {
    const started = executionHistory(executionId).started({ orderId: 'o-1' });
    expect(view(started)).toEqual({
      executionId,
      workflowId,
      workflowName: 'order-intake',
      workflowVersion: '1.0.0',
      status: 'running',
      startedAt: '2025-03-01T10:00:00.000Z',
      endedAt: null,
      input: { orderId: 'o-1' },
      tasks: [],
      taskCount: 0,
    });
  });

  it('shows a started task as running since it started', () => {
    const history = executionHistory(executionId).started();
    const startedAt = history.nextAt();
    history.add('TaskStarted', taskStartedData(executionId, charge));
    expect(view(history).tasks).toEqual([
      {
        key: '/do/0/charge',
        reference: '/do/0/charge',
        name: 'charge',
        kind: 'call',
        status: 'running',
        attempt: 0,
        startedAt,
        endedAt: null,
      },
    ]);
  });

  it('shows a completed task with its output and when it ended', () => {
    const history = executionHistory(executionId).started();
    const startedAt = history.nextAt();
    history.add('TaskStarted', taskStartedData(executionId, charge));
    const endedAt = history.nextAt();
    history.add(
      'TaskCompleted',
      taskCompletedData(executionId, charge, { output: { receipt: 'r-1' } }),
    );
    expect(view(history).tasks).toEqual([
      expect.objectContaining({
        key: '/do/0/charge',
        status: 'completed',
        startedAt,
        endedAt,
        output: { receipt: 'r-1' },
      }),
    ]);
  });

  it('takes the start of a task from its completion when no TaskStarted was recorded', () => {
    const history = executionHistory(executionId).started();
    history.add('TaskCompleted', {
      ...taskCompletedData(executionId, charge, { output: null }),
      startedAt: '2025-03-01T09:59:59.000Z',
    });
    expect(view(history).tasks[0]).toMatchObject({
      status: 'completed',
      startedAt: '2025-03-01T09:59:59.000Z',
      output: null,
    });
  });

  it('shows a faulted task with its error', () => {
    const history = executionHistory(executionId).started();
    history.add('TaskStarted', taskStartedData(executionId, charge));
    const endedAt = history.nextAt();
    history.add('TaskFaulted', taskFaultedData(executionId, charge, declined));
    const [task] = view(history).tasks;
    expect(task).toMatchObject({ status: 'faulted', endedAt, error: declined });
    expect(task).not.toHaveProperty('output');
  });

  it('shows one entry per invocation, in the order they started', () => {
    const history = executionHistory(executionId).started();
    for (const i of [0, 1, 2]) {
      history.add('TaskStarted', taskStartedData(executionId, iteration(i)));
      history.add('TaskCompleted', taskCompletedData(executionId, iteration(i), { output: i }));
    }
    const { tasks } = view(history);
    expect(tasks.map((task) => [task.key, task.reference, task.output])).toEqual([
      ['/do/1/loop[0]/for/do/0/ship', '/do/1/loop/for/do/0/ship', 0],
      ['/do/1/loop[1]/for/do/0/ship', '/do/1/loop/for/do/0/ship', 1],
      ['/do/1/loop[2]/for/do/0/ship', '/do/1/loop/for/do/0/ship', 2],
    ]);
  });

  it('keeps the attempt of each retried invocation', () => {
    const history = executionHistory(executionId).started();
    const second = { ...charge, taskKey: '/do/0/tryIt~1/try/0/charge', attempt: 1 };
    history.add(
      'TaskStarted',
      taskStartedData(executionId, { ...charge, taskKey: '/do/0/tryIt/try/0/charge' }),
    );
    history.add('TaskStarted', taskStartedData(executionId, second));
    expect(view(history).tasks.map((task) => task.attempt)).toEqual([0, 1]);
  });

  it('lists at most maxTasks entries but counts them all', () => {
    const history = executionHistory(executionId).started();
    for (const i of [0, 1, 2, 3, 4])
      history.add('TaskStarted', taskStartedData(executionId, iteration(i)));
    const capped = view(history, 2);
    expect(capped.taskCount).toBe(5);
    expect(capped.tasks.map((task) => task.key)).toEqual([
      '/do/1/loop[0]/for/do/0/ship',
      '/do/1/loop[1]/for/do/0/ship',
    ]);
    expect(view(history).tasks).toHaveLength(5);
  });

  it('is waiting while a timer is scheduled and running once it fires', () => {
    const history = executionHistory(executionId).started();
    history.add('TimerScheduled', {
      workflowId,
      executionId,
      timerKey: '/do/0/pause',
      purpose: 'wait',
      dueAt: '2025-03-01T10:05:00.000Z',
      detailsJson: null,
    });
    expect(view(history).status).toBe('waiting');
    history.add('TimerFired', { workflowId, executionId, timerKey: '/do/0/pause' });
    expect(view(history).status).toBe('running');
  });

  it('is waiting while a listen task awaits an event and running once one is consumed', () => {
    const history = executionHistory(executionId).started();
    history.add('EventAwaited', {
      workflowId,
      executionId,
      taskKey: '/do/1/await',
      filterJson: '[]',
    });
    expect(view(history).status).toBe('waiting');
    history.add('EventConsumed', {
      workflowId,
      executionId,
      taskKey: '/do/1/await',
      cloudEventJson: '{"id":"e1","source":"s","type":"t"}',
    });
    expect(view(history).status).toBe('running');
  });

  it('is suspended after a suspension and running after the resumption', () => {
    const history = executionHistory(executionId).started();
    history.add('ExecutionSuspended', { workflowId, executionId, reason: null });
    expect(view(history).status).toBe('suspended');
    history.add('ExecutionResumed', { workflowId, executionId });
    expect(view(history).status).toBe('running');
  });

  it('shows the output and end of a completed workflow', () => {
    const history = executionHistory(executionId).started();
    const endedAt = history.nextAt();
    history.add('WorkflowCompleted', { workflowId, executionId, outputJson: '{"ok":true}' });
    expect(view(history)).toMatchObject({ status: 'completed', endedAt, output: { ok: true } });
  });

  it('shows null as the output of a workflow that completed without one', () => {
    const history = executionHistory(executionId).started();
    history.add('WorkflowCompleted', { workflowId, executionId, outputJson: null });
    expect(view(history).output).toBeNull();
  });

  it('shows the error and end of a faulted workflow', () => {
    const history = executionHistory(executionId).started();
    const endedAt = history.nextAt();
    history.add('WorkflowFailed', {
      workflowId,
      executionId,
      errorType: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout',
      errorTitle: 'Workflow timed out',
      errorStatus: 408,
      errorDetail: null,
      taskPath: '/do/2/wait',
    });
    const faulted = view(history);
    expect(faulted).toMatchObject({ status: 'faulted', endedAt });
    expect(faulted.error).toEqual({
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout',
      status: 408,
      title: 'Workflow timed out',
      instance: '/do/2/wait',
    });
    expect(faulted).not.toHaveProperty('output');
  });

  it('shows when a cancelled workflow ended', () => {
    const history = executionHistory(executionId).started();
    const endedAt = history.nextAt();
    history.add('ExecutionCancelled', { workflowId, executionId, reason: 'customer left' });
    expect(view(history)).toMatchObject({ status: 'cancelled', endedAt });
  });
});
