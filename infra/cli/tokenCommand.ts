import type { Command } from 'commander';
import { isRole, roles } from '../../contracts/index.js';
import type { Role } from '../../contracts/index.js';
import { openDevIssuer } from '../auth/devIssuer.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { CliError } from './adminClient.js';

export interface TokenCommandContext {
  settle(result: Promise<number>): void;
  out: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  exitCodes: { ok: number; usage: number; config: number };
}

const accountPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const userPattern = /^[\x21-\x7e]{1,128}$/;

/** `1h`, `30m`, `45s`, `2d` or plain seconds. */
function parseTtl(text: string): number | undefined {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3_600, d: 86_400 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

/**
 * `awp token --account <id> [--role <role>]… [--user <id>] [--ttl 12h]`: a JWT from the local
 * development issuer, which the embedded `awp start` on the same data directory trusts.
 */
export function registerTokenCommand(program: Command, context: TokenCommandContext): void {
  program
    .command('token')
    .description(
      'print a development JWT for the embedded platform (trusted by `awp start` on the same AWP_DATA_DIR)',
    )
    .requiredOption('--account <id>', 'the account the token acts for')
    .option(
      '--role <role>',
      `a role (repeatable; ${roles.join(', ')}; default owner)`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--user <id>', 'the user id (the token subject)', 'developer')
    .option('--ttl <duration>', 'lifetime: 45s, 30m, 12h, 7d (at most 30d)', '12h')
    .action((opts: { account: string; role?: string[]; user: string; ttl: string }) =>
      context.settle(
        Promise.resolve().then(async () => {
          const config = loadTokenConfig(context);
          if (!accountPattern.test(opts.account)) {
            throw usage(context, '--account must be letters, digits, _ or - (at most 128)');
          }
          const chosen = opts.role ?? ['owner'];
          const unknown = chosen.filter((role) => !isRole(role));
          if (unknown.length > 0) {
            throw usage(context, `unknown role ${unknown.join(', ')} (roles: ${roles.join(', ')})`);
          }
          if (!userPattern.test(opts.user)) {
            throw usage(context, '--user must be 1 to 128 printable characters without spaces');
          }
          const ttlSeconds = parseTtl(opts.ttl);
          if (ttlSeconds === undefined || ttlSeconds < 1 || ttlSeconds > 30 * 86_400) {
            throw usage(context, '--ttl must be a duration such as 45s, 30m, 12h or 7d, up to 30d');
          }
          if (config.dataDir.startsWith('memory://')) {
            throw new CliError(
              'AWP_DATA_DIR is memory://: a token could not be checked by any other process',
              context.exitCodes.config,
            );
          }
          if (!config.devTokens) {
            throw new CliError(
              'development tokens are off here (AWP_DATABASE_URL is set): enable them with ' +
                'AWP_DEV_TOKENS=true, or use your identity provider',
              context.exitCodes.config,
            );
          }
          const issuer = await openDevIssuer(config.dataDir);
          const token = await issuer.sign({
            accountId: opts.account,
            roles: [...new Set(chosen)] as Role[],
            userId: opts.user,
            ttlSeconds,
          });
          context.out.write(`${token}\n`);
          return context.exitCodes.ok;
        }),
      ),
    );
}

function loadTokenConfig(context: TokenCommandContext) {
  try {
    return loadConfig(context.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, context.exitCodes.config);
    throw error;
  }
}

function usage(context: TokenCommandContext, message: string): CliError {
  return new CliError(message, context.exitCodes.usage);
}
