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
 * never opens a connection. Runs are serialised (the engine's document catalog is shared), each
 * bounded by `timeoutMs`; secrets are stand-ins, so no real credential is ever read.
 */
export function createWorkflowSimulator(options: {
  expressions: ExpressionEngine;
  timeoutMs?: number;
}): WorkflowSimulator & { close(): Promise<void> } {
  let current: Run | undefined;
  let started: Promise<EphemeralEngine> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const outbound: OutboundHttp = {
    send(request) {
      if (!current) throw new Error('no simulation is running');
      return Promise.resolve({ ...answer(current, request.method, request.url), url: request.url });
    },
  };
  const engine = () =>
    (started ??= startEphemeralEngine({
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

  async function simulate(request: SimulationRequest): Promise<SimulationResult> {
    const ephemeral = await engine();
    const run: Run = { request, calls: [] };
    current = run;
    try {
      const result = await ephemeral
        .run(request.document, request.input, AbortSignal.timeout(options.timeoutMs ?? 30_000))
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
      current = undefined;
    }
  }

  return {
    simulate(request) {
      const next = queue.then(() => simulate(request));
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
      if (started) await (await started).stop();
    },
  };
}
