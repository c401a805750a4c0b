import type { ServiceName } from './devService.js';
import { isServiceName, serviceNames } from './devService.js';

export const subcommands = ['up', 'down', 'status'] as const;
export type Subcommand = (typeof subcommands)[number];

export type CliRequest =
  | {
      readonly kind: 'run';
      readonly subcommand: Subcommand;
      readonly services: readonly ServiceName[];
    }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

export const usage = [
  'usage: tsx infra/dev/cli.ts <up|down|status> [service...]',
  `  services: ${serviceNames.join(', ')} (default: all)`,
  '  up      start the services (no-op for those already running and healthy)',
  '  down    stop the services (no-op for those already stopped)',
  '  status  show each service; exit code 0 only if all selected services are running',
].join('\n');

function isSubcommand(value: string): value is Subcommand {
  return (subcommands as readonly string[]).includes(value);
}

/** Pure, so the exit-code-2 paths are unit-tested without spawning anything. */
export function parseCliArguments(argv: readonly string[]): CliRequest {
  const [first, ...rest] = argv;
  if (first === undefined)
    return { kind: 'usage-error', message: 'missing subcommand (up, down or status)' };
  if (first === 'help' || first === '--help' || first === '-h') return { kind: 'help' };
  if (!isSubcommand(first)) {
    return {
      kind: 'usage-error',
      message: `unknown subcommand '${first}'; expected one of: ${subcommands.join(', ')}`,
    };
  }
  const unknown = rest.filter((name) => !isServiceName(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `'${name}'`).join(', ');
    return {
      kind: 'usage-error',
      message: `unknown service ${list}; known services: ${serviceNames.join(', ')}`,
    };
  }
  // Order follows the registry, not the command line, and repeats collapse.
  const services = serviceNames.filter((name) => rest.includes(name));
  return { kind: 'run', subcommand: first, services };
}
