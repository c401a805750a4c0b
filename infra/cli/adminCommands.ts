import type { Command } from 'commander';
import type { AdminClient } from './adminClient.js';
import { CliError } from './adminClient.js';

/** What one event looks like on the wire from /v1/admin/events and stream reads. */
interface WireEvent {
  eventId: string;
  type: string;
  accountId: string;
  streamId: string;
  streamVersion: number;
  occurredAt: string;
  data: unknown;
  cursor?: string;
}

interface EventPage {
  events: WireEvent[];
  next: string;
  more: boolean;
}

interface ProjectionStatus {
  name: string;
  topics: string[];
  eventsApplied: number;
  lastOccurredAt: string | null;
  lag: number | null;
  rebuilding: boolean;
}

export interface AdminCommandContext {
  /** Built lazily, so `--help` works without a reachable server. */
  client(opts: { url?: string }): AdminClient;
  /** Records the command's outcome (exit code). */
  settle(result: Promise<number>): void;
  out: NodeJS.WritableStream;
  exitCodes: { ok: number; usage: number; failure: number };
}

const isoInstant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function instant(value: string, flag: string): string {
  if (!isoInstant.test(value) || Number.isNaN(Date.parse(value))) {
    throw new CliError(
      `${flag} must be an ISO-8601 date or date-time, e.g. 2026-11-01 or 2026-11-01T00:00:00Z`,
      2,
    );
  }
  // A bare date means midnight UTC, stated explicitly for the server's strict parser.
  return value.length === 10 ? `${value}T00:00:00Z` : value;
}

const line = (event: WireEvent) =>
  `${event.occurredAt}  ${event.type.padEnd(26)} ${event.streamId}@${event.streamVersion}  account=${event.accountId}  ${JSON.stringify(event.data)}\n`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerAdminCommands(program: Command, context: AdminCommandContext): void {
  const urlOption = [
    '--url <url>',
    'where AWP listens (default: AWP_URL or http://127.0.0.1:$AWP_PORT)',
  ] as const;
  const run = (work: () => Promise<number>) => context.settle(work());
  const print = (text: string) =>
    new Promise<void>((resolve, reject) =>
      context.out.write(text, (error) => (error ? reject(error) : resolve())),
    );

  const events = program.command('events').description('read the event log (audit and replay)');

  events
    .command('tail')
    .description('print events as they are committed, until interrupted')
    .option('--account <accountId>', 'only this tenant')
    .option('--type <type>', 'only this event type (repeatable)', collect)
    .option('--from-start', 'begin at the first event instead of now')
    .option('--json', 'one JSON object per line')
    .option(...urlOption)
    .action(
      (opts: {
        account?: string;
        type?: string[];
        fromStart?: boolean;
        json?: boolean;
        url?: string;
      }) =>
        run(async () => {
          const client = context.client(opts);
          let after = opts.fromStart ? undefined : 'head';
          let stopped = false;
          const stop = () => (stopped = true);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          try {
            while (!stopped) {
              const page = await client.get<EventPage>('/v1/admin/events', {
                after,
                account: opts.account,
                type: opts.type,
                limit: '500',
              });
              for (const event of page.events)
                await print(opts.json ? `${JSON.stringify(event)}\n` : line(event));
              if (after === undefined || after === 'head') {
                process.stderr.write('following new events (Ctrl-C to stop)\n');
              }
              after = page.next;
              if (!page.more) await new Promise((resolve) => setTimeout(resolve, 500));
            }
          } finally {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          }
          return context.exitCodes.ok;
        }),
    );

  events
    .command('stream')
    .description('print every event of one stream, e.g. tenant-<accountId>')
    .argument('<streamId>')
    .option('--json', 'one JSON object per line')
    .option(...urlOption)
    .action((streamId: string, opts: { json?: boolean; url?: string }) =>
      run(async () => {
        const stream = await context
          .client(opts)
          .get<{ events: WireEvent[] }>(`/v1/admin/streams/${encodeURIComponent(streamId)}/events`);
        for (const event of stream.events)
          await print(opts.json ? `${JSON.stringify(event)}\n` : line(event));
        return context.exitCodes.ok;
      }),
    );

  events
    .command('export')
    .description("write one tenant's events as NDJSON, in commit order, for auditors")
    .requiredOption('--account <accountId>', 'the tenant to export')
    .option('--from <instant>', 'first instant included (ISO-8601)')
    .option('--to <instant>', 'first instant excluded (ISO-8601)')
    .option('--type <type>', 'only this event type (repeatable)', collect)
    .option(...urlOption)
    .action(
      (opts: { account: string; from?: string; to?: string; type?: string[]; url?: string }) =>
        run(async () => {
          const from = opts.from === undefined ? undefined : instant(opts.from, '--from');
          const to = opts.to === undefined ? undefined : instant(opts.to, '--to');
          const client = context.client(opts);
          let after: string | undefined;
          let exported = 0;
          for (;;) {
            const page = await client.get<EventPage>('/v1/admin/events', {
              after,
              account: opts.account,
              type: opts.type,
              from,
              to,
              limit: '1000',
            });
            for (const event of page.events) await print(`${JSON.stringify(event)}\n`);
            exported += page.events.length;
            after = page.next;
            if (!page.more) break;
          }
          process.stderr.write(`exported ${exported} event(s) of account ${opts.account}\n`);
          return context.exitCodes.ok;
        }),
    );

  const projections = program.command('projections').description('inspect and rebuild read models');

  projections
    .command('list')
    .description('each projection with its position and lag')
    .option('--json', 'print JSON')
    .option(...urlOption)
    .action((opts: { json?: boolean; url?: string }) =>
      run(async () => {
        const { projections: list } = await context
          .client(opts)
          .get<{ projections: ProjectionStatus[] }>('/v1/admin/projections');
        if (opts.json) {
          await print(`${JSON.stringify(list, null, 2)}\n`);
          return context.exitCodes.ok;
        }
        const rows = list.map((p) => [
          p.name,
          String(p.eventsApplied),
          p.lag === null ? 'unknown' : String(p.lag),
          p.lastOccurredAt ?? '-',
          p.rebuilding ? 'rebuilding' : 'running',
        ]);
        await print(table(['PROJECTION', 'APPLIED', 'LAG', 'LAST EVENT AT', 'STATE'], rows));
        return context.exitCodes.ok;
      }),
    );

  projections
    .command('rebuild')
    .description('empty a read model and replay every event of its topics from the event store')
    .argument('<name>')
    .option(...urlOption)
    .action((name: string, opts: { url?: string }) =>
      run(async () => {
        const result = await context
          .client(opts)
          .post<{ replayed: number }>(`/v1/admin/projections/${encodeURIComponent(name)}/rebuild`);
        await print(`rebuilt ${name}: replayed ${result.replayed} event(s)\n`);
        return context.exitCodes.ok;
      }),
    );

  const secrets = program.command('secrets').description("operate the tenants' secret store");

  secrets
    .command('rewrap')
    .description(
      'after a master-key rotation (new AWP_SECRETS_KEY, the old one in AWP_SECRETS_PREVIOUS_KEYS), ' +
        'move every secret onto the new key; values are not decrypted',
    )
    .option(...urlOption)
    .action((opts: { url?: string }) =>
      run(async () => {
        const result = await context
          .client(opts)
          .post<{ rewrapped: number; failed: string[] }>('/v1/admin/secrets/rewrap');
        await print(`re-wrapped ${result.rewrapped} secret(s) under the current master key\n`);
        for (const failure of result.failed) process.stderr.write(`failed: ${failure}\n`);
        return result.failed.length === 0 ? context.exitCodes.ok : context.exitCodes.failure;
      }),
    );
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)].join('\n') + '\n';
}
