import { randomUUID } from 'node:crypto';
import { AwpError } from '../../contracts/index.js';
import { executionViewOf } from '../../domains/workflow/index.js';
import type {
  ExpressionEngine,
  OutboundHttp,
  SimulatedCall,
  SimulatedResponse,
  SimulationRequest,
  SimulationResult,
  WorkflowSimulator,
} from '../../domains/workflow/index.js';
import type { EventEnvelope } from '../../contracts/index.js';
import { startEphemeralEngine } from './ephemeralEngine.js';
import type { EphemeralEngine } from './ephemeralEngine.js';

interface Run {
  request: SimulationRequest;
  calls: SimulatedCall[];
}

const json = (status: number, body: unknown) => ({
  status,
  statusText: String(status),
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body ?? null)),
});

/** `https://h/schedules/{id}` → a pattern matching one path segment per parameter. */
function templatePattern(template: string): RegExp {
  const escaped = template
    .replace(/\/+$/, '')
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/?#]+');
  return new RegExp(`^${escaped}/?(?:[?#].*)?$`);
}

function answer(run: Run, method: string, url: string) {
  const document = run.request.documents[url];
  if (document !== undefined && method === 'GET') return json(200, document);
  const match = run.request.responses.find(
    (r: SimulatedResponse) => r.method.toUpperCase() === method && templatePattern(r.url).test(url),
  );
  run.calls.push({ method, url, status: match?.status ?? 501, mocked: match !== undefined });
  if (match) return json(match.status, match.body);
  return json(501, {
    type: 'https://awp.dev/problems/simulation',
    title: 'No simulated response',
    status: 501,
    detail: `the dry run has no response for ${method} ${url}; add a fixture for it`,
  });
}

/**
 * Dry runs on an engine of their own: an in-memory database started on first use, the real
 * interpreter, and an outbound port that answers from the simulation's canned responses and
 * never opens a connection. Secrets are stand-ins, so no real credential is ever read.
 *
 * Each run has an account of its own (`simulation-<id>`): its document, its execution and its
 * calls are told apart by it, so runs go side by side, at most `concurrency` at once (the rest
 * wait), each bounded by `timeoutMs`. The engine costs some 360 MB and 4 s to start (measured:
 * README); it stops after `idleMs` without runs, and the next run starts it again.
 */
export function createWorkflowSimulator(options: {
  expressions: ExpressionEngine;
  timeoutMs?: number;
  /** Runs at once. Default 4. */
  concurrency?: number;
  /** Runs waiting for a turn; more are refused (503, retryable). Default 16. */
  maxWaiting?: number;
  /** How long the engine stays up without runs. Default 5 minutes. */
  idleMs?: number;
}): WorkflowSimulator & { close(): Promise<void> } {
  const runs = new Map<string, Run>();
  const concurrency = options.concurrency ?? 4;
  const maxWaiting = options.maxWaiting ?? 16;
  const idleMs = options.idleMs ?? 5 * 60_000;
  let started: Promise<EphemeralEngine> | undefined;
  let stopping: Promise<void> = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;
  let active = 0;
  const waiting: Array<() => void> = [];
  let closed = false;

  const outbound: OutboundHttp = {
    send(request, call) {
      const run = runs.get(call.accountId);
      if (!run) throw new Error(`no simulation is running for '${call.accountId}'`);
      return Promise.resolve({ ...answer(run, request.method, request.url), url: request.url });
    },
  };
  const engine = async () => {
    await stopping;
    return (started ??= startEphemeralEngine({
      expressions: options.expressions,
      outbound,
      secretStore: {
        read: (_account, names) =>
          Promise.resolve(
            Object.fromEntries(
              names.map((name) => [
                name,
                { token: `simulated-${name}`, username: 'simulated', password: 'simulated' },
              ]),
            ),
          ),
      },
    }));
  };

  /** Stops the engine, when nothing ran for `idleMs`, to give its memory back. */
  function stopWhenIdle(): void {
    clearTimeout(idle);
    if (closed || active > 0 || waiting.length > 0) return;
    idle = setTimeout(() => {
      const engineStarted = started;
      if (!engineStarted || active > 0) return;
      started = undefined;
      stopping = engineStarted.then((ephemeral) => ephemeral.stop()).catch(() => undefined);
    }, idleMs);
    idle.unref();
  }

  async function turn(): Promise<void> {
    if (active < concurrency) {
      active += 1;
      return;
    }
    if (waiting.length >= maxWaiting) {
      throw new AwpError(
        'unavailable',
        `too many dry runs at once (${concurrency} running, ${maxWaiting} waiting): try again shortly`,
        { retryable: true },
      );
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function leave(): void {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
    stopWhenIdle();
  }

  async function simulate(request: SimulationRequest): Promise<SimulationResult> {
    const ephemeral = await engine();
    const accountId = `simulation-${randomUUID()}`;
    const run: Run = { request, calls: [] };
    runs.set(accountId, run);
    try {
      const result = await ephemeral
        .run(
          request.document,
          request.input,
          AbortSignal.timeout(options.timeoutMs ?? 30_000),
          accountId,
        )
        .catch((error: unknown) => {
          if (error instanceof Error && error.name === 'TimeoutError') {
            throw new AwpError('unavailable', 'the dry run did not finish within its time limit');
          }
          throw error;
        });
      const events: EventEnvelope[] = await ephemeral.eventStore.readStream(
        `execution-${result.executionId}`,
      );
      const view = executionViewOf(result.executionId, events, 1_000);
      return {
        status: result.status,
        ...(result.output !== undefined ? { output: result.output } : {}),
        ...(result.error ? { error: result.error } : {}),
        tasks: view.tasks,
        calls: run.calls,
      };
    } finally {
      runs.delete(accountId);
      ephemeral.catalog.forget(accountId);
    }
  }

  return {
    async simulate(request) {
      if (closed) throw new AwpError('unavailable', 'the platform is stopping');
      clearTimeout(idle);
      await turn();
      try {
        return await simulate(request);
      } finally {
        leave();
      }
    },
    async close() {
      closed = true;
      clearTimeout(idle);
      while (active > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await stopping;
      if (started) await (await started).stop();
    },
  };
}
