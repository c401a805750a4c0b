import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../contracts/index.js';
import { AwpError } from '../../contracts/index.js';
import { eventually } from '../support/eventually.js';
import { account, actor, outputOf, startEngineUnderTest } from './engineHarness.js';
import type { EngineUnderTest } from './engineHarness.js';
import { task, workflowOf } from './workflows.js';

/** Cancel, suspend and resume, and durable timers, through the engine's own API. */
let engine: EngineUnderTest;

beforeAll(async () => {
  engine = await startEngineUnderTest();
});

afterAll(async () => {
  await engine?.stop();
});

const indexedStatus = async (executionId: string) =>
  (await engine.engine.index.find(executionId))?.status;

async function untilStatus(executionId: string, status: string): Promise<void> {
  await eventually(async () => ((await indexedStatus(executionId)) === status ? true : undefined));
}

async function untilEvent(executionId: string, type: string): Promise<void> {
  await eventually(async () =>
    (await engine.events(executionId)).some((e) => e.type === type) ? true : undefined,
  );
}

const typesOf = (events: EventEnvelope[]) => events.map((e) => e.type);

describe('cancel', () => {
  it('cancels a parked execution: cancelled status, ExecutionCancelled in the stream, awaitEnd resolves', async () => {
    const id = await engine.start(workflowOf(task('nap', { wait: 'PT1H' })));
    await untilStatus(id, 'waiting');
    const ended = engine.awaitEnd(id);
    const state = await engine.engine.cancel(account, id, actor, 'no longer needed');
    expect(state.status).toBe('cancelled');
    expect((await ended).status).toBe('cancelled');
    expect(await indexedStatus(id)).toBe('cancelled');
    const [cancelled] = await engine.eventsOfType<{ reason: string | null }>(
      id,
      'ExecutionCancelled',
    );
    expect(cancelled?.reason).toBe('no longer needed');
  });

  it('cancels an execution waiting in memory and never runs its next task', async () => {
    const id = await engine.start(
      workflowOf(
        task('short', { wait: { milliseconds: 1500 } }),
        task('next', { set: { ran: true } }),
      ),
    );
    await untilEvent(id, 'TimerScheduled');
    await engine.engine.cancel(account, id, actor, null);
    expect((await engine.awaitEnd(id)).status).toBe('cancelled');
    const types = typesOf(await engine.events(id));
    expect(types.at(-1)).toBe('ExecutionCancelled');
    expect(types).not.toContain('TaskCompleted');
  });

  it('refuses to cancel an execution twice, or one that has completed, with illegal_state', async () => {
    const id = await engine.start(workflowOf(task('nap', { wait: 'PT1H' })));
    await untilStatus(id, 'waiting');
    await engine.engine.cancel(account, id, actor, null);
    const again = engine.engine.cancel(account, id, actor, null);
    await expect(again).rejects.toBeInstanceOf(AwpError);
    await expect(again).rejects.toMatchObject({ code: 'illegal_state' });
    const done = await engine.run(workflowOf(task('quick', { set: { done: true } })), {});
    await expect(
      engine.engine.cancel(account, done.executionId, actor, null),
    ).rejects.toMatchObject({ code: 'illegal_state' });
  });

  it('drops the subscription of a cancelled listen, so a later event reaches nobody', async () => {
    const id = await engine.start(
      workflowOf(
        task('paid', { listen: { to: { one: { with: { type: 'test.cancelled.paid' } } } } }),
      ),
    );
    await untilStatus(id, 'waiting');
    await engine.engine.cancel(account, id, actor, null);
    const event = {
      specversion: '1.0',
      id: 'late-1',
      source: 'https://pos.test',
      type: 'test.cancelled.paid',
      data: {},
    };
    expect(await engine.engine.publish(account, event)).toEqual({ delivered: 0 });
    expect(typesOf(await engine.events(id))).not.toContain('EventConsumed');
  });
});

describe('suspend and resume', () => {
  it('stops a running execution from progressing while suspended and completes it once resumed', async () => {
    const id = await engine.start(
      workflowOf(
        task('steps', {
          for: { in: '${ [range(8)] }' },
          do: [
            task('pause', { wait: { milliseconds: 200 } }),
            task('count', { set: { count: '${ .count + 1 }' } }),
          ],
        }),
      ),
      { count: 0 },
    );
    await untilEvent(id, 'TimerFired');
    expect((await engine.engine.suspend(account, id, actor, 'maintenance')).status).toBe(
      'suspended',
    );
    await untilStatus(id, 'suspended');
    await expect(engine.engine.suspend(account, id, actor, null)).rejects.toMatchObject({
      code: 'illegal_state',
    });

    // Absence of progress cannot be polled for: let every timer scheduled so far fall due.
    const timers = await engine.eventsOfType<{ dueAt: string }>(id, 'TimerScheduled');
    const lastDue = Math.max(...timers.map((t) => Date.parse(t.dueAt)));
    await eventually(() => Promise.resolve(Date.now() > lastDue + 300 ? true : undefined));
    const whileSuspended = typesOf(await engine.events(id));
    expect(whileSuspended.at(-1)).toBe('ExecutionSuspended');
    expect(await indexedStatus(id)).toBe('suspended');

    await engine.engine.resume(account, id, actor);
    const ended = await engine.awaitEnd(id);
    expect(ended.status).toBe('completed');
    expect(outputOf(ended)).toEqual({ count: 8 });
    const types = typesOf(await engine.events(id));
    expect(types.slice(types.indexOf('ExecutionSuspended') + 1)[0]).toBe('ExecutionResumed');
  });

  it('refuses to resume an execution that is not suspended with illegal_state', async () => {
    const id = await engine.start(workflowOf(task('nap', { wait: 'PT1H' })));
    await untilStatus(id, 'waiting');
    await expect(engine.engine.resume(account, id, actor)).rejects.toMatchObject({
      code: 'illegal_state',
    });
    await engine.engine.cancel(account, id, actor, null);
  });
});

describe('durable timers', () => {
  it('parks an execution waiting three seconds and completes it after the due time, firing the timer once', async () => {
    const startedAt = Date.now();
    const id = await engine.start(
      workflowOf(task('later', { wait: { seconds: 3 } }), task('after', { set: { woke: true } })),
    );
    await untilStatus(id, 'waiting');
    const [timer] = await engine.eventsOfType<{ timerKey: string; dueAt: string; purpose: string }>(
      id,
      'TimerScheduled',
    );
    expect(timer).toMatchObject({ timerKey: '/do/0/later@wait', purpose: 'wait' });
    expect(Date.parse(timer?.dueAt ?? '')).toBeGreaterThanOrEqual(startedAt + 3_000);

    const ended = await engine.awaitEnd(id);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(timer?.dueAt ?? ''));
    expect(outputOf(ended)).toEqual({ woke: true });
    const fired = await engine.eventsOfType<{ timerKey: string }>(id, 'TimerFired');
    expect(fired).toEqual([expect.objectContaining({ timerKey: '/do/0/later@wait' })]);
  });
});
