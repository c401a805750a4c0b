/**
 * `npm run services:up|down|status`: argument parsing and printing only; the work happens in
 * lifecycle.ts so tests and scripts can call the same code without a subprocess.
 */
import { parseCliArguments, usage } from './cliArguments.js';
import type { Subcommand } from './cliArguments.js';
import type { ServiceName, ServiceStatus } from './devService.js';
import { ServiceError } from './devService.js';
import type { ServiceEvent } from './lifecycle.js';
import { DevServicesError, servicesDown, servicesStatus, servicesUp } from './lifecycle.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function printEvent(event: ServiceEvent): void {
  switch (event.kind) {
    case 'progress':
      console.log(`[${event.service}] ${event.message}`);
      return;
    case 'up': {
      const { action, endpoint, elapsedMs, pid } = event.outcome;
      const pidText = pid === undefined ? '' : `, pid ${pid}`;
      console.log(
        action === 'started'
          ? `${event.service} ready on ${endpoint} (${seconds(elapsedMs)}${pidText})`
          : `${event.service} already running on ${endpoint} (healthy${pidText})`,
      );
      return;
    }
    case 'down': {
      const { action, pid } = event.outcome;
      console.log(
        action === 'stopped'
          ? `${event.service} stopped (pid ${pid ?? '?'})`
          : `${event.service} already stopped`,
      );
      return;
    }
    case 'failed':
      printFailure(event.service, event.error);
  }
}

function printFailure(service: ServiceName, error: Error): void {
  console.error(`${service} FAILED: ${error.message}`);
  if (error instanceof ServiceError && error.logFile !== undefined) {
    console.error(`--- last ${error.logTail.length} lines of ${error.logFile} ---`);
    for (const line of error.logTail) console.error(`  ${line}`);
    console.error('---');
  }
}

function printStatus(statuses: readonly ServiceStatus[]): void {
  for (const status of statuses) {
    const pid = status.pid === undefined ? '-' : String(status.pid);
    const detail = status.detail === undefined ? '' : `  (${status.detail})`;
    console.log(
      `${status.name.padEnd(9)} ${status.state.padEnd(9)} pid ${pid.padEnd(8)} ${status.endpoint.padEnd(16)} ${status.url}${detail}`,
    );
  }
}

async function run(subcommand: Subcommand, services: readonly ServiceName[]): Promise<number> {
  const options = { onEvent: printEvent };
  try {
    if (subcommand === 'up') await servicesUp(services, options);
    if (subcommand === 'down') await servicesDown(services, options);
  } catch (error) {
    // Each failure was already printed, with its log, when it happened.
    if (error instanceof DevServicesError) return 1;
    throw error;
  }
  if (subcommand !== 'status') return 0;
  const statuses = await servicesStatus(services);
  printStatus(statuses);
  return statuses.every((status) => status.state === 'running') ? 0 : 1;
}

const request = parseCliArguments(process.argv.slice(2));
if (request.kind === 'help') {
  console.log(usage);
} else if (request.kind === 'usage-error') {
  console.error(`error: ${request.message}\n${usage}`);
  process.exitCode = 2;
} else {
  process.exitCode = await run(request.subcommand, request.services);
}
