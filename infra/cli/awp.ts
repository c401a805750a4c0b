import { Command, CommanderError } from 'commander';
import { availableDomains, parseServiceList } from '../runtime/serviceNames.js';
import { CliError, createAdminClient } from './adminClient.js';
import { registerAdminCommands } from './adminCommands.js';
import { registerDslCommands } from './dslCommands.js';
import { registerExecutionCommands } from './executionCommands.js';
import { registerRunCommand } from './runCommand.js';
import { registerTokenCommand } from './tokenCommand.js';
import { packageVersion } from './packageInfo.js';
import { exitCodes, runServer } from './runServer.js';

/** Builds the `awp` command line; `run` parses it and resolves to the process exit code. */
export function createCli(): { run(argv: readonly string[]): Promise<number> } {
  let result: Promise<number> = Promise.resolve(exitCodes.ok);
  const program = new Command('awp')
    .description('AWP, the Agent Workflow Platform')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .exitOverride();

  program
    .command('start')
    .description(
      'start the whole platform in one process (embedded profile unless AWP_* URLs are set)',
    )
    .action(() => {
      result = runServer({ services: availableDomains(), requireDistributed: false });
    });

  program
    .command('serve')
    .description('start the given services against PostgreSQL and Kafka (distributed profile)')
    .requiredOption(
      '-s, --services <list>',
      `comma-separated services to host (available: ${availableDomains().join(', ')})`,
    )
    .action((opts: { services: string }) => {
      let services;
      try {
        services = parseServiceList(opts.services);
      } catch (error) {
        process.stderr.write(`awp serve: ${(error as Error).message}\n`);
        result = Promise.resolve(exitCodes.usage);
        return;
      }
      result = runServer({ services, requireDistributed: true });
    });

  /** A command's outcome becomes the exit code; a CliError is printed as one line, not a stack. */
  const settle = (work: Promise<number>) => {
    result = work.catch((error: unknown) => {
      if (!(error instanceof CliError)) throw error;
      process.stderr.write(`awp: ${error.message}\n`);
      return error.exitCode;
    });
  };

  registerAdminCommands(program, {
    client: (opts) =>
      createAdminClient({
        url:
          opts.url ?? process.env.AWP_URL ?? `http://127.0.0.1:${process.env.AWP_PORT ?? '8080'}`,
        token: process.env.AWP_ADMIN_TOKEN || undefined,
        exitCodes,
      }),
    settle,
    out: process.stdout,
    exitCodes,
  });

  registerDslCommands(program, {
    settle,
    out: process.stdout,
    err: process.stderr,
    env: process.env,
    stdin: process.stdin,
  });

  registerExecutionCommands(program, { settle, out: process.stdout, env: process.env, exitCodes });

  registerTokenCommand(program, { settle, out: process.stdout, env: process.env, exitCodes });

  registerRunCommand(program, {
    settle,
    out: process.stdout,
    err: process.stderr,
    stdin: process.stdin,
  });

  return {
    async run(argv) {
      try {
        await program.parseAsync([...argv], { from: 'user' });
      } catch (error) {
        if (error instanceof CommanderError) {
          // --help and --version end parsing "successfully"; everything else is a usage error.
          return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
        }
        throw error;
      }
      if (program.args.length === 0 && argv.length === 0) {
        program.outputHelp();
        return exitCodes.usage;
      }
      return result;
    },
  };
}
