import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  buildWorkflowGraph,
  defaultParseLimits,
  diffWorkflows,
  editorJsonSchema,
  formatDiff,
  listDependencies,
  runKinds,
  toMermaid,
  validateWorkflow,
} from '../../dsl/index.js';
import type {
  DslProblem,
  RunKind,
  ValidationOptions,
  ValidationReport,
  WorkflowDefinition,
} from '../../dsl/index.js';
import { CliError } from './adminClient.js';

export interface DslCommandContext {
  /** Records the command's outcome (exit code). */
  settle(result: Promise<number>): void;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Standard input, for the file name `-`. */
  stdin: NodeJS.ReadableStream;
}

/** Exit codes of `awp dsl`: scripts branch on them, so they are part of the interface. */
export const dslExitCodes = {
  ok: 0,
  /** validate, graph, deps: a document is invalid; diff: the change is breaking. */
  failed: 1,
  usage: 2,
  /** diff only: one of the two documents is invalid, so no diff was made (sysexits EX_DATAERR). */
  invalidInput: 65,
} as const;

/** One document read from a file (or stdin), or why it could not be read. */
export type Source = { file: string; bytes: Buffer } | { file: string; unreadable: string };

/**
 * Reads at most one byte more than the parser accepts, so a huge file is refused by the parser's
 * size check without being loaded whole.
 */
export async function readSource(file: string, stdin: NodeJS.ReadableStream): Promise<Source> {
  const limit = defaultParseLimits.maxBytes + 1;
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of stdin) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        chunks.push(buffer);
        size += buffer.length;
        if (size >= limit) break;
      }
      return { file: '<stdin>', bytes: Buffer.concat(chunks).subarray(0, limit) };
    }
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(limit);
      let size = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, size, limit - size, size);
        if (bytesRead === 0 || size + bytesRead >= limit) {
          size += bytesRead;
          break;
        }
        size += bytesRead;
      }
      return { file, bytes: buffer.subarray(0, size) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    return { file, unreadable: reason };
  }
}

/** `AWP_DSL_ALLOW_RUN=shell,container`: the run kinds an operator enabled besides `workflow`. */
export function allowedRunKinds(env: NodeJS.ProcessEnv): RunKind[] {
  const raw = env.AWP_DSL_ALLOW_RUN?.trim();
  const kinds = new Set<RunKind>(['workflow']);
  if (!raw) return [...kinds];
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(runKinds as readonly string[]).includes(item)) {
      throw new CliError(
        `AWP_DSL_ALLOW_RUN: '${item}' is not a run kind (known: ${runKinds.join(', ')})`,
        dslExitCodes.usage,
      );
    }
    kinds.add(item as RunKind);
  }
  return [...kinds];
}

const problemLine = (file: string, problem: DslProblem) =>
  `${file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}\n`;

const jsonProblem = ({ line, column, path, code, message }: DslProblem) => ({
  line,
  column,
  path,
  code,
  message,
});

function formatOption(allowed: readonly string[], fallback: string) {
  return (value: string | undefined): string => {
    const format = value ?? fallback;
    if (!allowed.includes(format)) {
      throw new CliError(
        `--format must be one of ${allowed.join(', ')} (got '${format}')`,
        dslExitCodes.usage,
      );
    }
    return format;
  };
}

export function registerDslCommands(program: Command, context: DslCommandContext): void {
  const { out, err } = context;
  const write = (text: string) => out.write(text);
  const options = (): ValidationOptions => ({ allowedRunKinds: allowedRunKinds(context.env) });

  /** Reads and validates one document; prints its problems to stderr when it is not valid. */
  async function validOne(file: string, command: string): Promise<WorkflowDefinition> {
    const source = await readSource(file, context.stdin);
    if ('unreadable' in source) {
      throw new CliError(`cannot read '${source.file}': ${source.unreadable}`, dslExitCodes.usage);
    }
    const report = await validateWorkflow(source.bytes, options());
    if (report.workflow === undefined) {
      for (const problem of report.errors) err.write(problemLine(source.file, problem));
      throw new CliError(
        `dsl ${command}: '${source.file}' is not a valid workflow (${report.errors.length} error${report.errors.length === 1 ? '' : 's'})`,
        dslExitCodes.failed,
      );
    }
    return report.workflow;
  }

  const dsl = program
    .command('dsl')
    .description('check and inspect Serverless Workflow 1.0 documents (YAML or JSON; - for stdin)');

  dsl
    .command('validate')
    .description('validate workflows: exit 0 if all are valid (warnings allowed), 1 if any is not')
    .argument('<file...>', 'workflow documents')
    .option('--format <format>', 'text (file:line:column: severity: message) or json', 'text')
    .action((files: string[], opts: { format?: string }) => {
      context.settle(
        (async () => {
          const format = formatOption(['text', 'json'], 'text')(opts.format);
          if (files.filter((f) => f === '-').length > 1) {
            throw new CliError("'-' (standard input) can be given only once", dslExitCodes.usage);
          }
          const validation = options();
          const results: Array<{ file: string; report?: ValidationReport; unreadable?: string }> =
            [];
          for (const file of files) {
            const source = await readSource(file, context.stdin);
            if ('unreadable' in source) {
              results.push({ file: source.file, unreadable: source.unreadable });
            } else {
              results.push({
                file: source.file,
                report: await validateWorkflow(source.bytes, validation),
              });
            }
          }
          if (format === 'json') {
            const json = results.map(({ file, report, unreadable }) => ({
              file,
              valid: report?.valid ?? false,
              errors: report
                ? report.errors.map(jsonProblem)
                : [{ line: 0, column: 0, path: '', code: 'file-unreadable', message: unreadable }],
              warnings: report ? report.warnings.map(jsonProblem) : [],
            }));
            write(`${JSON.stringify(json, null, 2)}\n`);
          } else {
            for (const { file, report, unreadable } of results) {
              if (unreadable !== undefined) err.write(`${file}: cannot read: ${unreadable}\n`);
              const problems = [...(report?.errors ?? []), ...(report?.warnings ?? [])].sort(
                (a, b) => a.line - b.line || a.column - b.column,
              );
              for (const problem of problems) write(problemLine(file, problem));
            }
          }
          const invalid = results.filter((r) => !r.report?.valid).length;
          if (format === 'text') {
            err.write(
              invalid === 0
                ? `${results.length} valid\n`
                : `${invalid} of ${results.length} invalid\n`,
            );
          }
          if (results.some((r) => r.unreadable !== undefined)) return dslExitCodes.usage;
          return invalid === 0 ? dslExitCodes.ok : dslExitCodes.failed;
        })(),
      );
    });

  dsl
    .command('graph')
    .description('print the control-flow graph of a workflow')
    .argument('<file>', 'workflow document')
    .option('--format <format>', 'mermaid or json', 'mermaid')
    .action((file: string, opts: { format?: string }) => {
      context.settle(
        (async () => {
          const format = formatOption(['mermaid', 'json'], 'mermaid')(opts.format);
          const graph = buildWorkflowGraph(await validOne(file, 'graph'));
          write(
            format === 'json'
              ? `${JSON.stringify(graph, null, 2)}\n`
              : `${toMermaid(graph).trimEnd()}\n`,
          );
          return dslExitCodes.ok;
        })(),
      );
    });

  dsl
    .command('deps')
    .description('list what a workflow needs from outside: endpoints, events, secrets, …')
    .argument('<file>', 'workflow document')
    .action((file: string) => {
      context.settle(
        (async () => {
          const dependencies = listDependencies(await validOne(file, 'deps'));
          write(`${JSON.stringify(dependencies, null, 2)}\n`);
          return dslExitCodes.ok;
        })(),
      );
    });

  dsl
    .command('diff')
    .description('compare two versions: exit 0 if compatible, 1 if breaking, 65 if one is invalid')
    .argument('<old>', 'the current version')
    .argument('<new>', 'the proposed version')
    .option('--format <format>', 'text or json', 'text')
    .action((before: string, after: string, opts: { format?: string }) => {
      context.settle(
        (async () => {
          const format = formatOption(['text', 'json'], 'text')(opts.format);
          const invalid = (error: unknown) => {
            if (error instanceof CliError && error.exitCode === dslExitCodes.failed) {
              throw new CliError(error.message, dslExitCodes.invalidInput);
            }
            throw error;
          };
          const old = await validOne(before, 'diff').catch(invalid);
          const proposed = await validOne(after, 'diff').catch(invalid);
          const diff = diffWorkflows(old, proposed);
          write(format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));
          return diff.breaking ? dslExitCodes.failed : dslExitCodes.ok;
        })(),
      );
    });

  dsl
    .command('schema')
    .description('print the JSON Schema for editors and YAML language servers')
    .action(() => {
      context.settle(
        (async () => {
          write(`${JSON.stringify(editorJsonSchema(), null, 2)}\n`);
          return dslExitCodes.ok;
        })(),
      );
    });
}
