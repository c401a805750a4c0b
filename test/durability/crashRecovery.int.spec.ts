import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeWithServices } from '../support/realServices.js';
import type { TestDatabase } from '../support/realServices.js';
import { startInventoryApi, startKitchenApi, startPosApi } from '../support/servers/index.js';
import type { InventoryApi, KitchenApi, PosApi } from '../support/servers/index.js';
import { orderInput, orderWorkflow } from './orderWorkflow.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Apis {
  pos: PosApi;
  inventory: InventoryApi;
  kitchen: KitchenApi;
}

/** Runs the crashing engine process once; resolves with its output and how it ended. */
async function runEngineProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/durability/crashingEngine.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  return {
    code,
    signal,
    output,
    result: line
      ? (JSON.parse(line.slice(7)) as { status: string; output: string | null })
      : undefined,
  };
}

/** Crash points, each with the occurrence to die at: before and after every kind of step. */
const crashPoints = [
  'before-call:1',
  'after-call:1',
  'after-append:2',
  'after-call:2',
  'before-call:3',
  'after-timer-scheduled:1',
  'after-call:4',
  'before-append:5',
];

function crashSuite(kind: 'postgres' | 'pglite') {
  let apis: Apis;
  let database: TestDatabase | undefined;
  let dataRoot: string | undefined;

  beforeAll(async () => {
    apis = {
      pos: await startPosApi(),
      inventory: await startInventoryApi(),
      kitchen: await startKitchenApi({ capacity: 100 }),
    };
    if (kind === 'postgres') database = await createTestDatabase();
    else dataRoot = await mkdtemp(join(tmpdir(), 'awp-crash-'));
  });
  afterAll(async () => {
    await Promise.all([apis.pos.close(), apis.inventory.close(), apis.kitchen.close()]);
    await database?.drop();
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  });

  const points =
    kind === 'postgres' ? crashPoints : ['after-call:1', 'after-timer-scheduled:1', 'after-call:4'];
  for (const point of points) {
    it(`continues after kill -9 at ${point}: every side effect happens once, with one Idempotency-Key per invocation`, async () => {
      const before = {
        orders: apis.pos.sideEffects.length,
        reservations: apis.inventory.sideEffects.length,
        schedules: apis.kitchen.sideEffects.length,
        requests: {
          pos: apis.pos.requests.length,
          inventory: apis.inventory.requests.length,
          kitchen: apis.kitchen.requests.length,
        },
      };
      const executionId = randomUUID();
      const env = {
        AWP_TEST_DATABASE: database?.url ?? join(dataRoot as string, executionId),
        AWP_TEST_WORKFLOW: orderWorkflow({
          pos: apis.pos.baseUrl,
          inventory: apis.inventory.baseUrl,
          kitchen: apis.kitchen.baseUrl,
        }),
        AWP_TEST_EXECUTION_ID: executionId,
        AWP_TEST_INPUT: JSON.stringify(orderInput),
        AWP_TEST_SECRETS: JSON.stringify({
          pos: { token: apis.pos.token },
          inventoryKey: apis.inventory.apiKey,
          kitchenToken: apis.kitchen.token,
        }),
        AWP_TEST_ALLOW: '127.0.0.1',
      };
      const crashed = await runEngineProcess({ ...env, AWP_TEST_FAULT: point });
      expect(crashed.signal, crashed.output).toBe('SIGKILL');
      const resumed = await runEngineProcess(env);
      expect(resumed.code, resumed.output).toBe(0);
      expect(resumed.result?.status).toBe('completed');
      const output = JSON.parse(resumed.result?.output ?? 'null') as Record<string, unknown>;
      expect(output).toMatchObject({ status: 'scheduled' });

      expect(apis.pos.sideEffects.length - before.orders).toBe(1);
      expect(apis.inventory.sideEffects.length - before.reservations).toBe(2);
      expect(apis.kitchen.sideEffects.length - before.schedules).toBe(1);
      // Everything POSTed during this test; a call repeated after the crash carries the key of
      // its first attempt, so there is exactly one key per logical invocation.
      const posts = [
        ...apis.pos.requests.slice(before.requests.pos),
        ...apis.inventory.requests.slice(before.requests.inventory),
        ...apis.kitchen.requests.slice(before.requests.kitchen),
      ].filter((request) => request.method === 'POST');
      const keys = posts.map((request) => request.headers['idempotency-key']);
      expect(keys.every((key) => typeof key === 'string' && key.length > 0)).toBe(true);
      expect(new Set(keys).size).toBe(4);

      if (database) await expectLogInvariants(database.url, executionId);
    });
  }
}

/** Nothing recorded as completed ran twice, and every timer fired at most once. */
async function expectLogInvariants(url: string, executionId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ type: string; data: Record<string, string> }>(
      `SELECT type, data FROM es_events WHERE stream_id = $1 ORDER BY stream_version`,
      [`execution-${executionId}`],
    );
    const completed = rows
      .filter((row) => row.type === 'TaskCompleted')
      .map((row) => row.data.taskKey);
    expect(new Set(completed).size).toBe(completed.length);
    const fired = rows.filter((row) => row.type === 'TimerFired').map((row) => row.data.timerKey);
    expect(new Set(fired).size).toBe(fired.length);
    expect(rows.filter((row) => row.type === 'WorkflowCompleted')).toHaveLength(1);
  } finally {
    await client.end();
  }
}

describeWithServices(['postgres'], 'crash recovery, PostgreSQL', () => crashSuite('postgres'));
describe('crash recovery, embedded PGlite', () => crashSuite('pglite'));
