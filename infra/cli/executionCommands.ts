import type { Command } from 'commander';
import { CliError, createAdminClient } from './adminClient.js';
import type { AdminClient } from './adminClient.js';

export interface ExecutionCommandContext {
  settle(result: Promise<number>): void;
  out: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  exitCodes: {
    ok: number;
    failure: number;
    unavailable: number;
    noPermission: number;
    usage: number;
  };
}

interface CommonOptions {
  url?: string;
  account?: string;
  token?: string;
  json?: boolean;
}

interface ExecutionSummary {
  executionId: string;
  workflowName: string;
  workflowVersion: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
}

interface TaskEntry {
  reference: string;
  name: string;
  kind: string;
  status: string;
  attempt: number;
  error?: { title?: string; status?: number; detail?: string };
}

/**
 * `awp executions list|show|cancel`: the workflow API of a running platform, for one account
 * (`--account`, else `AWP_ACCOUNT`), through the same HTTP API and identity as any client.
 */
export function registerExecutionCommands(
  program: Command,
  context: ExecutionCommandContext,
): void {
  const { exitCodes, out } = context;
  const client = (options: CommonOptions): AdminClient => {
    const url =
      options.url ?? context.env.AWP_URL ?? `http://127.0.0.1:${context.env.AWP_PORT ?? '8080'}`;
    // A token (a JWT, `awp token`, or an API key) names its account itself; `--account` is the
    // embedded profile's X-AWP-Account shortcut.
    const token = options.token ?? (context.env.AWP_TOKEN || undefined);
    if (token) {
      return createAdminClient({
        url,
        token,
        exitCodes,
        authHint: 'the credential comes from --token or AWP_TOKEN',
      });
    }
    const account = options.account ?? context.env.AWP_ACCOUNT;
    if (!account) {
      throw new CliError(
        'give --token <jwt or API key> (or AWP_TOKEN), or on the embedded profile --account <id>',
        exitCodes.usage,
      );
    }
    return createAdminClient({
      url,
      token: undefined,
      exitCodes,
      headers: { 'x-awp-account': account },
      authHint: 'the account comes from --account or AWP_ACCOUNT',
    });
  };
  const run = (work: () => Promise<number>) => context.settle(Promise.resolve().then(work));

  const executions = program
    .command('executions')
    .description('list, inspect and cancel workflow executions');
  const common = (command: Command) =>
    command
      .option('--url <url>', 'the platform (default AWP_URL, else http://127.0.0.1:$AWP_PORT)')
      .option('--token <credential>', 'a bearer JWT or API key (default AWP_TOKEN)')
      .option('--account <id>', 'embedded only: act as this account (default AWP_ACCOUNT)')
      .option('--json', 'print JSON');

  common(
    executions
      .command('list')
      .description('recent executions, newest first')
      .option('--workflow <id>', 'only executions of this workflow')
      .option('--status <status>', 'running, waiting, suspended, completed, faulted or cancelled')
      .option('--limit <n>', 'at most n (1–200)', '50'),
  ).action((options: CommonOptions & { workflow?: string; status?: string; limit: string }) =>
    run(async () => {
      const page = await client(options).get<{ items: ExecutionSummary[] }>('/v1/executions', {
        workflowId: options.workflow,
        status: options.status,
        limit: options.limit,
      });
      if (options.json) out.write(`${JSON.stringify(page.items, null, 2)}\n`);
      else {
        for (const item of page.items) {
          out.write(
            `${item.executionId}  ${item.status.padEnd(9)}  ${item.startedAt}  ${item.workflowName}@${item.workflowVersion}\n`,
          );
        }
        if (page.items.length === 0) out.write('no executions\n');
      }
      return exitCodes.ok;
    }),
  );

  common(
    executions
      .command('show')
      .description('status, output or error, and task history')
      .argument('<id>'),
  ).action((id: string, options: CommonOptions) =>
    run(async () => {
      const view = await client(options).get<
        ExecutionSummary & {
          output?: unknown;
          error?: unknown;
          tasks: TaskEntry[];
          taskCount: number;
        }
      >(`/v1/executions/${encodeURIComponent(id)}`);
      if (options.json) {
        out.write(`${JSON.stringify(view, null, 2)}\n`);
        return exitCodes.ok;
      }
      out.write(
        `${view.executionId}  ${view.status}  ${view.workflowName}@${view.workflowVersion}\n`,
      );
      out.write(`started ${view.startedAt}${view.endedAt ? `, ended ${view.endedAt}` : ''}\n`);
      for (const task of view.tasks) {
        const error = task.error
          ? `  ${task.error.status ?? ''} ${task.error.title ?? ''}`.trimEnd()
          : '';
        const attempt = task.attempt > 0 ? ` (attempt ${task.attempt + 1})` : '';
        out.write(
          `  ${task.status.padEnd(9)} ${task.reference} [${task.kind}]${attempt}${error}\n`,
        );
      }
      if (view.taskCount > view.tasks.length)
        out.write(`  … ${view.taskCount - view.tasks.length} more\n`);
      if (view.output !== undefined) out.write(`output: ${JSON.stringify(view.output)}\n`);
      if (view.error !== undefined) out.write(`error: ${JSON.stringify(view.error)}\n`);
      return exitCodes.ok;
    }),
  );

  common(
    executions
      .command('cancel')
      .description('cancel a running, waiting or suspended execution')
      .argument('<id>')
      .option('--reason <text>', 'recorded with the cancellation'),
  ).action((id: string, options: CommonOptions & { reason?: string }) =>
    run(async () => {
      const view = await client(options).post<{ status: string }>(
        `/v1/executions/${encodeURIComponent(id)}/cancel`,
        options.reason ? { reason: options.reason } : {},
      );
      out.write(options.json ? `${JSON.stringify(view, null, 2)}\n` : `${id} ${view.status}\n`);
      return exitCodes.ok;
    }),
  );
}
