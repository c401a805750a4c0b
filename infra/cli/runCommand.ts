import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { validateWorkflow } from '../../dsl/index.js';
import { parseAllowEntry } from '../http/outboundPolicy.js';
import { createJqExpressionEngine } from '../jq/index.js';
import { startEphemeralEngine } from '../runtime/ephemeralEngine.js';
import { CliError } from './adminClient.js';
import { readSource } from './dslCommands.js';

export interface RunCommandContext {
  settle(result: Promise<number>): void;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/**
 * Exit codes of `awp run`: 0 completed, 1 faulted or cancelled, 2 usage or an invalid workflow,
 * 130 interrupted (Ctrl-C, as shells report SIGINT).
 */
export const runExitCodes = { completed: 0, faulted: 1, usage: 2, interrupted: 130 } as const;

interface RunOptions {
  input?: string;
  inputFile?: string;
  secretsFile?: string;
  allowHost: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRunCommand(program: Command, context: RunCommandContext): void {
  program
    .command('run')
    .description('run a workflow on an ephemeral embedded engine and print its output as JSON')
    .argument('<file>', 'the workflow (YAML or JSON; - reads stdin)')
    .option('--input <json>', 'the workflow input, as JSON')
    .option('--input-file <path>', 'read the workflow input from a JSON file')
    .option(
      '--secrets-file <path>',
      'a JSON object of secrets the workflow may use ($secrets, auth policies)',
    )
    .option(
      '--allow-host <host[:port]>',
      'let the SSRF guard pass this host, IP or CIDR (repeatable)',
      collect,
      [],
    )
    .action((file: string, options: RunOptions) => {
      context.settle(runWorkflowFile(file, options, context));
    });
}

async function runWorkflowFile(
  file: string,
  options: RunOptions,
  context: RunCommandContext,
): Promise<number> {
  const input = await readInput(options);
  const secrets = options.secretsFile
    ? await readJsonObject(options.secretsFile, '--secrets-file')
    : {};
  for (const entry of options.allowHost) {
    try {
      parseAllowEntry(entry);
    } catch (error) {
      throw new CliError(
        `--allow-host '${entry}': ${(error as Error).message}`,
        runExitCodes.usage,
      );
    }
  }
  const source = await readSource(file, context.stdin);
  if ('unreadable' in source)
    throw new CliError(`${source.file}: ${source.unreadable}`, runExitCodes.usage);

  // Checked before the engine starts (that takes seconds): the usual mistake answers at once.
  const text = source.bytes.toString('utf8');
  const report = await validateWorkflow(text);
  if (!report.valid) {
    for (const problem of report.errors) {
      context.err.write(
        `${source.file}:${problem.line}:${problem.column}: error: ${problem.message}\n`,
      );
    }
    return runExitCodes.usage;
  }

  const expressions = await createJqExpressionEngine();
  const engine = await startEphemeralEngine({
    expressions,
    allowHosts: options.allowHost,
    secrets,
  });
  const interrupted = new AbortController();
  const interrupt = () => interrupted.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  try {
    let result;
    try {
      result = await engine.run(text, input, interrupted.signal);
    } catch (error) {
      if (interrupted.signal.aborted) {
        context.err.write('awp run: interrupted; the execution did not finish\n');
        return runExitCodes.interrupted;
      }
      throw error;
    }
    if (result.status === 'completed') {
      context.out.write(`${JSON.stringify(result.output ?? null, null, 2)}\n`);
      return runExitCodes.completed;
    }
    const problem = result.error ?? {
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime',
      status: 500,
      title: `Workflow ${result.status}`,
    };
    context.err.write(`${JSON.stringify(problem, null, 2)}\n`);
    return runExitCodes.faulted;
  } finally {
    process.removeListener('SIGINT', interrupt);
    await engine.stop();
    expressions.close?.();
  }
}

async function readInput(options: RunOptions): Promise<unknown> {
  if (options.input !== undefined && options.inputFile !== undefined) {
    throw new CliError('give --input or --input-file, not both', runExitCodes.usage);
  }
  if (options.input !== undefined) return parseJson(options.input, '--input');
  if (options.inputFile !== undefined)
    return parseJson(await readText(options.inputFile, '--input-file'), '--input-file');
  return {};
}

async function readJsonObject(path: string, option: string): Promise<Record<string, unknown>> {
  const value = parseJson(await readText(path, option), option);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(
      `${option} ${path}: must hold a JSON object of name → value`,
      runExitCodes.usage,
    );
  }
  return value as Record<string, unknown>;
}

async function readText(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `${option} ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      runExitCodes.usage,
    );
  }
}

function parseJson(text: string, option: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(
      `${option} is not valid JSON: ${(error as Error).message}`,
      runExitCodes.usage,
    );
  }
}
