import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../test/support/eventually.js';
import { freePort, runAwp } from '../../test/support/processes.js';
import { startTestPlatform } from '../../test/support/testPlatform.js';
import type { TestPlatform } from '../../test/support/testPlatform.js';
import { createCli } from './awp.js';

const acme = 'acme';
const globex = 'globex';

const document = (name: string, tasks: string) => `
document: { dsl: '1.0.0', namespace: cli-executions, name: ${name}, version: '1.0.0' }
do:
${tasks}`;

const greeter = document(
  'greeter',
  `  - greet:\n      set:\n        greeting: '\${ "Hello, " + .name }'`,
);

/** Its one task waits an hour: the execution stays waiting until cancelled. */
const napper = document('napper', '  - nap:\n      wait: PT1H');

interface ExecutionView {
  executionId: string;
  status: string;
  tasks: Array<{ name: string; status: string }>;
}

/** `awp executions …` against a running embedded platform, in this process and as a program. */
describe('awp executions', () => {
  let platform: TestPlatform;
  let napperId: string;
  let greeted: string;
  let napping: string;

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-awp-account': acme },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function createWorkflow(source: string): Promise<string> {
    const created = await api<{ workflowId: string }>('POST', '/v1/workflows', {
      document: source,
    });
    return created.workflowId;
  }

  async function startExecution(workflowId: string, input: unknown): Promise<string> {
    const started = await api<{ executionId: string }>(
      'POST',
      `/v1/workflows/${workflowId}/executions`,
      { input },
    );
    return started.executionId;
  }

  const executionWhen = (executionId: string, status: string) =>
    eventually(async () => {
      const view = await api<ExecutionView>('GET', `/v1/executions/${executionId}`);
      return view.status === status ? view : undefined;
    });

  /** Runs `awp executions …` in this process, capturing what it prints. */
  async function awp(...argv: string[]) {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await createCli().run(['executions', ...argv]);
      const text = (spy: typeof out) => spy.mock.calls.map((c) => String(c[0])).join('');
      return { code, stdout: text(out), stderr: text(err) };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }
  const asAcme = () => ['--url', platform.url, '--account', acme];

  beforeAll(async () => {
    vi.stubEnv('AWP_ACCOUNT', undefined);
    vi.stubEnv('AWP_URL', undefined);
    platform = await startTestPlatform('embedded');
    napperId = await createWorkflow(napper);
    greeted = await startExecution(await createWorkflow(greeter), { name: 'Ada' });
    napping = await startExecution(napperId, {});
    await executionWhen(greeted, 'completed');
    await executionWhen(napping, 'waiting');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await platform?.stop();
  });

  describe('list', () => {
    it('prints one line per execution of the account, with its status and workflow', async () => {
      const run = await awp('list', ...asAcme());
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^${greeted}  completed .* greeter@1\\.0\\.0$`)),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^${napping}  waiting .* napper@1\\.0\\.0$`)),
      );
    });

    it('prints JSON with --json, filtered by --status', async () => {
      const all = await awp('list', ...asAcme(), '--json');
      expect(all.code).toBe(0);
      const items = JSON.parse(all.stdout) as Array<{ executionId: string; status: string }>;
      expect(items.map((i) => i.executionId).sort()).toEqual([greeted, napping].sort());
      const waiting = await awp('list', ...asAcme(), '--json', '--status', 'waiting');
      expect(JSON.parse(waiting.stdout)).toEqual([
        expect.objectContaining({
          executionId: napping,
          status: 'waiting',
          workflowName: 'napper',
        }),
      ]);
    });

    it('says so when the account has no executions', async () => {
      const run = await awp('list', '--url', platform.url, '--account', globex);
      expect(run).toMatchObject({ code: 0, stdout: 'no executions\n' });
    });
  });

  describe('show', () => {
    it('prints the status, each task and the output', async () => {
      const run = await awp('show', greeted, ...asAcme());
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe(`${greeted}  completed  greeter@1.0.0`);
      expect(lines[1]).toMatch(/^started \S+, ended \S+$/);
      expect(run.stdout).toMatch(/^ {2}completed +\/do\/0\/greet \[set\]$/m);
      expect(run.stdout).toContain('output: {"greeting":"Hello, Ada"}\n');
    });

    it('prints the view as JSON with --json, tasks included', async () => {
      const run = await awp('show', greeted, ...asAcme(), '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        executionId: greeted,
        status: 'completed',
        output: { greeting: 'Hello, Ada' },
        tasks: [{ name: 'greet', kind: 'set', status: 'completed' }],
      });
    });

    it('exits 1 for an unknown execution', async () => {
      const run = await awp('show', '0190c3b4-0000-7000-8000-000000000000', ...asAcme());
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(/^awp: .+\n$/);
    });

    it('does not show another account’s execution', async () => {
      const run = await awp('show', greeted, '--url', platform.url, '--account', globex);
      expect(run).toMatchObject({ code: 1, stdout: '' });
    });
  });

  describe('cancel', () => {
    it('cancels a waiting execution, then refuses to cancel it again with exit 1', async () => {
      const execution = await startExecution(napperId, {});
      await executionWhen(execution, 'waiting');
      const first = await awp('cancel', execution, ...asAcme(), '--reason', 'not needed');
      expect(first).toMatchObject({ code: 0, stdout: `${execution} cancelled\n`, stderr: '' });
      await executionWhen(execution, 'cancelled');
      const again = await awp('cancel', execution, ...asAcme());
      expect(again).toMatchObject({ code: 1, stdout: '' });
      expect(again.stderr).toMatch(/^awp: .+\n$/);
    });

    it('exits 1 for an unknown execution and for another account’s', async () => {
      expect((await awp('cancel', '0190c3b4-0000-7000-8000-000000000000', ...asAcme())).code).toBe(
        1,
      );
      const foreign = await awp('cancel', napping, '--url', platform.url, '--account', globex);
      expect(foreign.code).toBe(1);
      await executionWhen(napping, 'waiting');
    });
  });

  it('exits 2 without a token or an account', async () => {
    const run = await awp('list', '--url', platform.url);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('give --token <jwt or API key> (or AWP_TOKEN)');
  });

  it('acts for the account a token names, with its roles', async () => {
    const token = await platform.devIssuer!.sign({
      accountId: acme,
      roles: ['viewer'],
      userId: 'cli-viewer',
      ttlSeconds: 300,
    });
    const listed = await awp('list', '--url', platform.url, '--token', token, '--json');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(napping);
    // A viewer may read but not cancel: 77, and the execution still waits.
    const refused = await awp('cancel', napping, '--url', platform.url, '--token', token);
    expect(refused.code).toBe(77);
    expect(refused.stderr).toContain('execution:control');
    await executionWhen(napping, 'waiting');
    const forged = await awp('list', '--url', platform.url, '--token', `${token.slice(0, -2)}xx`);
    expect(forged.code).toBe(77);
  });

  it('exits 77 when the platform refuses the account', async () => {
    const run = await awp('list', '--url', platform.url, '--account', 'Not A Slug');
    expect(run).toMatchObject({ code: 77, stdout: '' });
    expect(run.stderr).toContain('X-AWP-Account must be');
  });

  it('exits 69 when nothing listens at the url', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await awp('list', '--url', closed, '--account', acme);
    expect(run).toMatchObject({ code: 69, stdout: '' });
    expect(run.stderr).toContain(`cannot reach AWP at ${closed}`);
  });

  it('sets the process exit code when run as a program, reading AWP_URL and AWP_ACCOUNT', async () => {
    const program = async (args: string[], env: Record<string, string>) => {
      const run = runAwp(['executions', ...args], env);
      // 'exit' may come before the last output is read; 'close' waits for the pipes too.
      await once(run.child, 'close');
      return { code: await run.exited, output: run.output() };
    };
    const env = { AWP_URL: platform.url, AWP_ACCOUNT: acme };
    const [shown, unknown, noAccount, unreachable] = await Promise.all([
      program(['show', greeted, '--json'], env),
      program(['show', '0190c3b4-0000-7000-8000-000000000000'], env),
      program(['list'], { AWP_URL: platform.url, AWP_ACCOUNT: '' }),
      program(['list'], { ...env, AWP_URL: `http://127.0.0.1:${await freePort()}` }),
    ]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.output)).toMatchObject({ executionId: greeted, status: 'completed' });
    expect(unknown.code).toBe(1);
    expect(noAccount.code).toBe(2);
    expect(unreachable.code).toBe(69);
  }, 120_000);
});
