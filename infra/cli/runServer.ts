import { ConfigError, loadConfig } from '../config/config.js';
import type { Config } from '../config/config.js';
import { createLogger, flushLogger } from '../logging/logger.js';
import { startEmbeddedPostgres } from '../pglite/embeddedPostgres.js';
import type { DomainName } from '../runtime/serviceNames.js';

/** Exit codes: 0 clean stop, 1 start-up failure, 78 configuration error (sysexits EX_CONFIG). */
/** sysexits.h values where one fits, so scripts can tell the failures apart. */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  unavailable: 69,
  noPermission: 77,
  config: 78,
} as const;

export interface RunServerOptions {
  services: readonly DomainName[];
  /** `awp serve` needs real services: separate processes cannot share an embedded database. */
  requireDistributed: boolean;
}

export async function runServer(options: RunServerOptions): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
    if (options.requireDistributed) requireDistributedConfig(config);
    requireSharedSecretsKey(config, options.services);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`awp: ${error.message}\n`);
      return exitCodes.config;
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // The embedded database compiles its WebAssembly on V8's background threads; starting it
  // before loading the platform's code overlaps the two (about a third off the cold start).
  const embeddedDatabase = config.databaseUrl
    ? undefined
    : startEmbeddedPostgres({ dataDir: config.dataDir });
  embeddedDatabase?.catch(() => undefined); // reported through startPlatform below
  // Listening for signals from the start: the server answers /readyz before the projections
  // have started, so a supervisor may stop it while it still starts. The stop then waits for
  // the start to finish instead of Node's default (dying on the signal, mid-start).
  let signalled: (signal: NodeJS.Signals) => void = () => undefined;
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  process.once('SIGINT', signalled);
  process.once('SIGTERM', signalled);

  let running;
  try {
    const { startPlatform } = await import('../runtime/platform.js');
    running = await startPlatform({
      config,
      services: options.services,
      logger,
      embeddedDatabase,
    });
  } catch (error) {
    logger.fatal({ err: error }, 'AWP failed to start');
    await flushLogger(logger);
    process.stderr.write(`awp: failed to start: ${(error as Error).message}\n`);
    return exitCodes.failure;
  }
  const signal = await stopRequested;
  logger.info({ signal }, 'shutting down');
  const code = await running.stop().then(
    () => {
      logger.info('stopped');
      return exitCodes.ok;
    },
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      return exitCodes.failure;
    },
  );
  await flushLogger(logger);
  return code;
}

function requireDistributedConfig(config: Config): void {
  const missing = [
    config.databaseUrl ? null : 'AWP_DATABASE_URL: required by `awp serve` (PostgreSQL URL)',
    config.kafkaBrokers ? null : 'AWP_KAFKA_BROKERS: required by `awp serve` (host:port list)',
  ].filter((problem): problem is string => problem !== null);
  if (missing.length > 0) throw new ConfigError(missing);
}

/**
 * Processes sharing a PostgreSQL database must encrypt tenant secrets under one key, so a
 * generated key file (the embedded default) will not do there. Said before anything starts.
 */
function requireSharedSecretsKey(config: Config, services: readonly DomainName[]): void {
  const usesSecrets = services.some((service) => service === 'platform' || service === 'workflow');
  if (usesSecrets && config.databaseUrl !== undefined && config.secretsKey === undefined) {
    throw new ConfigError([
      'AWP_SECRETS_KEY: required with AWP_DATABASE_URL by the platform and workflow services ' +
        '(32 random bytes in base64, e.g. `openssl rand -base64 32`; the same on every replica)',
    ]);
  }
}
