import { describe, expect, it } from 'vitest';
import {
  executionHistory,
  taskCompletedData,
  taskFaultedData,
  taskStartedData,
  workflowId,
} from '../interpreter/testing/executionHistory.js';
import type { TaskAt } from '../interpreter/testing/executionHistory.js';
import { foldExecution, isTerminal, journalOf } from './executionState.js';

const executionId = 'ex-1';
const charge: TaskAt = {
  taskKey: '/do/0/charge',
  taskPath: '/do/0/charge',
  taskName: 'charge',
  taskKind: 'call',
};
const listen: TaskAt = {
  taskKey: '/do/1/awaitPayment',
  taskPath: '/do/1/awaitPayment',
  taskName: 'awaitPayment',
  taskKind: 'listen',
};

const timer = (timerKey: string, dueAt: string) =>
  ({ workflowId, executionId, timerKey, purpose: 'wait', dueAt, detailsJson: null }) as const;
const fold = (history: ReturnType<typeof executionHistory>) =>
  foldExecution(executionId, history.events);

describe('foldExecution', () => {
  it('takes the identity and input of the execution from its start', () => {
    const state = fold(executionHistory(executionId).started({ orderId: 'o-1' }));
    expect(state).toMatchObject({
      executionId,
      accountId: 'acc-1',
      workflowId,
      workflowVersion: '1.0.0',
      namespace: 'sales',
      name: 'order-intake',
      inputJson: '{"orderId":"o-1"}',
      startedAt: '2025-03-01T10:00:00.000Z',
      parentExecutionId: null,
      status: 'running',
      version: 1,
    });
  });

  it('reads the deadline of the execution as epoch milliseconds', () => {
    const history = executionHistory(executionId);
    history.add('WorkflowExecutionStarted', {
      workflowId,
      executionId,
      trigger: 'schedule',
      namespace: 'sales',
      name: 'order-intake',
      workflowVersion: '1.0.0',
      inputJson: '{}',
      parentExecutionId: 'ex-parent',
      parentTaskKey: '/do/0/sub',
      deadlineAt: '2025-03-01T11:00:00.000Z',
    });
    const state = fold(history);
    expect(state.deadlineAt).toBe(Date.parse('2025-03-01T11:00:00.000Z'));
    expect(state.parentExecutionId).toBe('ex-parent');
    expect(state.parentTaskKey).toBe('/do/0/sub');
  });

  it('waits while a timer is scheduled and runs again once it fires', () => {
    const history = executionHistory(executionId).started();
    history.add('TimerScheduled', timer('/do/0/pause', '2025-03-01T10:05:00.000Z'));
    expect(fold(history).status).toBe('waiting');
    history.add('TimerFired', { workflowId, executionId, timerKey: '/do/0/pause' });
    const state = fold(history);
    expect(state.status).toBe('running');
    expect(state.timers.get('/do/0/pause')).toEqual({
      dueAt: Date.parse('2025-03-01T10:05:00.000Z'),
      fired: true,
    });
  });

  it('records the filters of a listen task while it awaits an event', () => {
    const history = executionHistory(executionId).started();
    history.add('EventAwaited', {
      workflowId,
      executionId,
      taskKey: listen.taskKey,
      filterJson: '[{"with":{"type":"com.example.paid"}}]',
    });
    expect(fold(history).awaiting).toEqual(
      new Map([[listen.taskKey, '[{"with":{"type":"com.example.paid"}}]']]),
    );
  });

  it('stops awaiting once the listen task completes', () => {
    const history = executionHistory(executionId).started();
    history.add('EventAwaited', {
      workflowId,
      executionId,
      taskKey: listen.taskKey,
      filterJson: '[]',
    });
    history.add('TaskCompleted', taskCompletedData(executionId, listen, { output: [] }));
    expect(fold(history).awaiting.size).toBe(0);
  });

  it('stops awaiting once the listen task faults', () => {
    const history = executionHistory(executionId).started();
    history.add('EventAwaited', {
      workflowId,
      executionId,
      taskKey: listen.taskKey,
      filterJson: '[]',
    });
    history.add('TaskFaulted', taskFaultedData(executionId, listen, { type: 't', status: 408 }));
    expect(fold(history).awaiting.size).toBe(0);
  });

  it('keeps the consumed events of a task in order', () => {
    const history = executionHistory(executionId).started();
    for (const id of ['e1', 'e2']) {
      history.add('EventConsumed', {
        workflowId,
        executionId,
        taskKey: listen.taskKey,
        cloudEventJson: JSON.stringify({ id, source: 's', type: 't' }),
      });
    }
    expect(
      fold(history)
        .consumed.get(listen.taskKey)
        ?.map((event) => event.id),
    ).toEqual(['e1', 'e2']);
  });

  it('remembers which tasks emitted their event', () => {
    const history = executionHistory(executionId).started();
    history.add('CloudEventEmitted', {
      workflowId,
      executionId,
      taskKey: '/do/2/notify',
      cloudEventJson: '{}',
    });
    expect(fold(history).emitted.has('/do/2/notify')).toBe(true);
  });

  it('remembers the deadline of a started task', () => {
    const history = executionHistory(executionId).started();
    history.add('TaskStarted', {
      ...taskStartedData(executionId, charge),
      deadlineAt: '2025-03-01T10:01:00.000Z',
    });
    history.add('TaskStarted', taskStartedData(executionId, listen));
    const state = fold(history);
    expect(state.started.get(charge.taskKey)).toEqual({
      deadlineAt: Date.parse('2025-03-01T10:01:00.000Z'),
    });
    expect(state.started.get(listen.taskKey)).toEqual({});
  });

  it('is suspended after a suspension and running after the resumption', () => {
    const history = executionHistory(executionId).started();
    history.add('ExecutionSuspended', { workflowId, executionId, reason: 'maintenance' });
    expect(fold(history).status).toBe('suspended');
    history.add('ExecutionResumed', { workflowId, executionId });
    expect(fold(history).status).toBe('running');
  });

  it('stays suspended when a timer is scheduled or fires meanwhile', () => {
    const history = executionHistory(executionId).started();
    history.add('ExecutionSuspended', { workflowId, executionId, reason: null });
    history.add('TimerScheduled', timer('/do/0/pause', '2025-03-01T10:05:00.000Z'));
    history.add('TimerFired', { workflowId, executionId, timerKey: '/do/0/pause' });
    expect(fold(history).status).toBe('suspended');
  });

  it('completes with the output of the workflow and awaits nothing more', () => {
    const history = executionHistory(executionId).started();
    history.add('EventAwaited', {
      workflowId,
      executionId,
      taskKey: listen.taskKey,
      filterJson: '[]',
    });
    history.add('WorkflowCompleted', { workflowId, executionId, outputJson: '{"ok":true}' });
    const state = fold(history);
    expect(state.status).toBe('completed');
    expect(state.outputJson).toBe('{"ok":true}');
    expect(state.awaiting.size).toBe(0);
  });

  it('faults with the problem the workflow failed with', () => {
    const history = executionHistory(executionId).started();
    history.add('WorkflowFailed', {
      workflowId,
      executionId,
      errorType: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
      errorTitle: 'Not Found',
      errorStatus: 404,
      errorDetail: 'pet 7 does not exist',
      taskPath: '/do/0/charge',
    });
    const state = fold(history);
    expect(state.status).toBe('faulted');
    expect(state.error).toEqual({
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
      status: 404,
      title: 'Not Found',
      detail: 'pet 7 does not exist',
      instance: '/do/0/charge',
    });
  });

  it('faults with status 500 and without detail or instance when the event has none', () => {
    const history = executionHistory(executionId).started();
    history.add('WorkflowFailed', {
      workflowId,
      executionId,
      errorType: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime',
      errorTitle: 'Runtime error',
      errorStatus: null,
      errorDetail: null,
      taskPath: null,
    });
    expect(fold(history).error).toEqual({
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime',
      status: 500,
      title: 'Runtime error',
    });
  });

  it('is cancelled after a cancellation and ignores a later suspension or resumption', () => {
    const history = executionHistory(executionId).started();
    history.add('ExecutionCancelled', { workflowId, executionId, reason: 'customer left' });
    expect(fold(history).status).toBe('cancelled');
    history.add('ExecutionSuspended', { workflowId, executionId, reason: null });
    history.add('ExecutionResumed', { workflowId, executionId });
    expect(fold(history).status).toBe('cancelled');
  });

  it('does not leave a terminal status when a timer fires late', () => {
    const history = executionHistory(executionId).started();
    history.add('TimerScheduled', timer('/do/0/pause', '2025-03-01T10:05:00.000Z'));
    history.add('ExecutionCancelled', { workflowId, executionId, reason: null });
    history.add('TimerFired', { workflowId, executionId, timerKey: '/do/0/pause' });
    expect(fold(history).status).toBe('cancelled');
  });

  it('counts the stream version of the last event', () => {
    const history = executionHistory(executionId).started();
    history.add('TaskStarted', taskStartedData(executionId, charge));
    history.add('TaskCompleted', taskCompletedData(executionId, charge, { output: 1 }));
    expect(fold(history).version).toBe(3);
  });
});

describe('isTerminal', () => {
  it.each([
    ['completed', true],
    ['faulted', true],
    ['cancelled', true],
    ['running', false],
    ['waiting', false],
    ['suspended', false],
  ] as const)('says %s is terminal: %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });
});

describe('journalOf', () => {
  it('knows nothing about a task that has not completed', () => {
    const journal = journalOf(fold(executionHistory(executionId).started()));
    expect(journal.completed(charge.taskKey)).toBeUndefined();
    expect(journal.faulted(charge.taskKey)).toBeUndefined();
    expect(journal.started(charge.taskKey)).toBeUndefined();
    expect(journal.timerDueAt('/do/0/pause')).toBeUndefined();
  });

  it('returns the recorded output, flow and context of a completed task', () => {
    const history = executionHistory(executionId).started();
    history.add(
      'TaskCompleted',
      taskCompletedData(executionId, charge, {
        output: { receipt: 'r-1', lines: [1, 2] },
        flowDirective: 'notify',
        context: { paid: true },
      }),
    );
    expect(journalOf(fold(history)).completed(charge.taskKey)).toEqual({
      output: { receipt: 'r-1', lines: [1, 2] },
      flow: 'notify',
      context: { paid: true },
    });
  });

  it("reads a completion without flow directive as 'continue' and without context", () => {
    const history = executionHistory(executionId).started();
    history.add('TaskCompleted', taskCompletedData(executionId, charge, { output: 'done' }));
    const outcome = journalOf(fold(history)).completed(charge.taskKey);
    expect(outcome).toEqual({ output: 'done', flow: 'continue' });
    expect(outcome).not.toHaveProperty('context');
  });

  it('returns null for a completion recorded without output', () => {
    const history = executionHistory(executionId).started();
    history.add('TaskCompleted', taskCompletedData(executionId, charge, { output: undefined }));
    expect(journalOf(fold(history)).completed(charge.taskKey)?.output).toBeNull();
  });

  it('keeps the output as JSON text until the journal is asked for it', () => {
    const history = executionHistory(executionId).started();
    history.add('TaskCompleted', taskCompletedData(executionId, charge, { output: { a: 1 } }));
    const state = fold(history);
    expect(state.completed.get(charge.taskKey)?.outputJson).toBe('{"a":1}');
    const journal = journalOf(state);
    const first = journal.completed(charge.taskKey);
    const second = journal.completed(charge.taskKey);
    expect(first).toEqual(second);
    expect(first?.output).not.toBe(second?.output);
  });

  it('returns the problem a task faulted with', () => {
    const problem = { type: 'https://example.com/errors/declined', status: 402, title: 'Declined' };
    const history = executionHistory(executionId).started();
    history.add('TaskFaulted', taskFaultedData(executionId, charge, problem));
    expect(journalOf(fold(history)).faulted(charge.taskKey)).toEqual(problem);
  });

  it('returns when a scheduled timer is due, fired or not', () => {
    const history = executionHistory(executionId).started();
    history.add('TimerScheduled', timer('/do/0/pause', '2025-03-01T10:05:00.000Z'));
    expect(journalOf(fold(history)).timerDueAt('/do/0/pause')).toBe(
      Date.parse('2025-03-01T10:05:00.000Z'),
    );
    history.add('TimerFired', { workflowId, executionId, timerKey: '/do/0/pause' });
    expect(journalOf(fold(history)).timerDueAt('/do/0/pause')).toBe(
      Date.parse('2025-03-01T10:05:00.000Z'),
    );
  });

  it('sees events folded in after it was made', () => {
    const state = fold(executionHistory(executionId).started());
    const journal = journalOf(state);
    state.completed.set(charge.taskKey, { outputJson: '2', flow: 'end', contextJson: null });
    expect(journal.completed(charge.taskKey)).toEqual({ output: 2, flow: 'end' });
  });
});
