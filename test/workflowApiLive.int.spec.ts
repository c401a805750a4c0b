import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually } from './support/eventually.js';
import { acme, hourlong, sseMessages, startWorkflowApi, workflow } from './workflowApiHarness.js';
import type { WorkflowApiHarness } from './workflowApiHarness.js';

/**
 * What happens to executions after 202: their events as Server-Sent Events, cancel, suspend
 * and resume, and CloudEvents delivered to waiting `listen` tasks.
 */
let api: WorkflowApiHarness;

beforeAll(async () => {
  api = await startWorkflowApi();
});

afterAll(async () => {
  await api?.stop();
});

/** Opens the event stream over a real socket, so messages are seen as they arrive. */
function openEvents(executionId: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = fetch(`${api.url}/v1/executions/${executionId}/events`, {
    headers: { 'x-awp-account': acme, ...headers },
    signal: controller.signal,
  });
  return { response, abort: () => controller.abort() };
}

describe('execution events (SSE)', () => {
  it('streams the events live up to WorkflowCompleted, and resumes after Last-Event-ID', async () => {
    const workflowId = await api.createWorkflow(
      workflow(
        'sse-live',
        '1.0.0',
        '  - first:\n      set: { step: 1 }\n  - pause:\n      wait: PT0.5S\n  - last:\n      set: { step: 2 }',
      ),
    );
    const executionId = await api.startExecution(workflowId);
    const response = await openEvents(executionId).response;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const messages = sseMessages(await response.text());

    expect(messages[0]).toMatchObject({ id: 1, event: 'WorkflowExecutionStarted' });
    expect(messages.at(-1)?.event).toBe('WorkflowCompleted');
    expect(messages.map((m) => m.id)).toEqual(messages.map((_, index) => index + 1));
    expect(messages.map((m) => m.event)).toContain('TimerFired');
    expect(messages[0]?.data).toMatchObject({
      type: 'WorkflowExecutionStarted',
      streamVersion: 1,
      data: { executionId, workflowId },
    });

    const resumeAfter = messages.length - 2;
    const resumed = await openEvents(executionId, { 'last-event-id': String(resumeAfter) })
      .response;
    expect(sseMessages(await resumed.text()).map((m) => m.id)).toEqual([
      resumeAfter + 1,
      resumeAfter + 2,
    ]);
    const atTheEnd = await openEvents(executionId, { 'last-event-id': String(messages.length) })
      .response;
    expect(sseMessages(await atTheEnd.text())).toEqual([]);
  });

  it('sends heartbeats while nothing happens and stops polling when the client leaves', async () => {
    const executionId = await api.startExecution(await api.createWorkflow(hourlong('sse-idle')));
    const reads = vi.spyOn(api.engine, 'readEvents');
    const stream = openEvents(executionId);
    const reader = (await stream.response).body!.getReader();
    let text = '';
    while (!text.includes(': heartbeat')) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    expect(sseMessages(text)[0]?.event).toBe('WorkflowExecutionStarted');
    stream.abort();
    // The server sees the socket close and aborts its poller; then the count stays still.
    await sleep(100);
    const afterClose = reads.mock.calls.length;
    await sleep(200);
    expect(reads.mock.calls.length).toBe(afterClose);
    reads.mockRestore();
  });

  it('refuses a Last-Event-ID that is not a stream version', async () => {
    const executionId = await api.startExecution(await api.createWorkflow(hourlong('sse-bad')));
    const response = await api.http
      .get(`/v1/executions/${executionId}/events`)
      .set('X-AWP-Account', acme)
      .set('Last-Event-ID', 'abc')
      .expect(400);
    expect(response.body.field).toBe('last-event-id');
  });
});

describe('cancel, suspend, resume', () => {
  it('cancels a waiting execution once, then answers 409', async () => {
    const executionId = await api.startExecution(await api.createWorkflow(hourlong('cancel-me')));
    await api.executionWhen(executionId, 'waiting');
    const cancelled = await api.http
      .post(`/v1/executions/${executionId}/cancel`)
      .set('X-AWP-Account', acme)
      .send({ reason: 'changed my mind' })
      .expect(200);
    expect(cancelled.body).toMatchObject({ executionId, status: 'cancelled' });
    const again = await api.http
      .post(`/v1/executions/${executionId}/cancel`)
      .set('X-AWP-Account', acme)
      .expect(409);
    expect(again.body.type).toBe('https://awp.dev/problems/illegal_state');
  });

  it('suspends and resumes, refusing the transitions that do not apply', async () => {
    const executionId = await api.startExecution(await api.createWorkflow(hourlong('pause-me')));
    await api.executionWhen(executionId, 'waiting');
    const control = (action: string) =>
      api.http.post(`/v1/executions/${executionId}/${action}`).set('X-AWP-Account', acme);

    await control('resume').expect(409);
    const suspended = await control('suspend').send({ reason: 'maintenance' }).expect(200);
    expect(suspended.body.status).toBe('suspended');
    await control('suspend').expect(409);
    const resumed = await control('resume').expect(200);
    expect(resumed.body.status).not.toBe('suspended');
    await control('cancel').expect(200);
  });
});

describe('CloudEvents', () => {
  const paymentListener = (name: string) =>
    workflow(
      name,
      '1.0.0',
      `  - awaitPayment:
      listen:
        to:
          one:
            with:
              type: com.acme.payment.received
  - done:
      set:
        paid: '\${ .[0].amount }'`,
    );

  /**
   * Sends the event until a listen task takes it. An execution shows `waiting` a moment before
   * its subscription is stored; an event sent in between reaches no one (`delivered: 0`, no
   * effect), so a client that expects a listener sends again.
   */
  function deliveredOnce(send: () => Test): Promise<true> {
    return eventually(
      async () => {
        const response = await send().expect(202);
        return response.body.delivered === 1 || undefined;
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    );
  }

  it('delivers a structured CloudEvent to a waiting listen task, which completes with its data', async () => {
    const executionId = await api.startExecution(await api.createWorkflow(paymentListener('pay')));
    await api.executionWhen(executionId, 'waiting');
    await deliveredOnce(() =>
      api.http
        .post('/v1/events')
        .set('X-AWP-Account', acme)
        .set('content-type', 'application/cloudevents+json')
        .send({
          specversion: '1.0',
          id: 'evt-1',
          source: '/payments',
          type: 'com.acme.payment.received',
          data: { amount: 42 },
        }),
    );
    const view = await api.executionWhen(executionId, 'completed');
    expect(view.output).toEqual({ paid: 42 });
  });

  it('accepts the binary mode, attributes in ce-* headers and the body as data', async () => {
    const executionId = await api.startExecution(
      await api.createWorkflow(paymentListener('pay-binary')),
    );
    await api.executionWhen(executionId, 'waiting');
    await deliveredOnce(() =>
      api.http
        .post('/v1/events')
        .set('X-AWP-Account', acme)
        .set('ce-specversion', '1.0')
        .set('ce-id', 'evt-2')
        .set('ce-source', '/payments')
        .set('ce-type', 'com.acme.payment.received')
        .send({ amount: 7 }),
    );
    expect((await api.executionWhen(executionId, 'completed')).output).toEqual({ paid: 7 });
  });

  it('accepts an event nobody waits for, delivered to none', async () => {
    await api.http
      .post('/v1/events')
      .set('X-AWP-Account', acme)
      .send({ specversion: '1.0', id: 'evt-3', source: '/x', type: 'com.acme.nobody' })
      .expect(202, { delivered: 0 });
  });

  it('names the attribute of an invalid CloudEvent', async () => {
    const response = await api.http
      .post('/v1/events')
      .set('X-AWP-Account', acme)
      .send({ specversion: '0.3', id: 'evt-4', source: '/x' })
      .expect(400);
    const fields = response.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['specversion', 'type']));
  });
});
