import type { Database } from '../../contracts/index.js';

export interface PrioritizedDatabase {
  /** For everything a caller waits on: the API, the engine, replies. */
  requests: Database;
  /** For work nobody waits on: the outbox relay, projections, the in-process bus's offsets. */
  background: Database;
}

export interface PrioritizeOptions {
  /** How long requests must have left the database alone before background work goes. */
  quietMs?: number;
  /** The longest background work is held back, so a busy API never starves projections. */
  maxDeferMs?: number;
  now?: () => number;
}

/**
 * The embedded database has one connection and serves callers in arrival order, so the burst
 * of background work one append sets off (the relay, then every projection of its topic, each
 * a transaction) queues in front of the next request's statements: measured, that was most of
 * the time the agent added before a reply's first token. Here background work waits until
 * requests have been quiet for `quietMs` (the gaps inside one request are shorter), one
 * operation at a time, and never longer than `maxDeferMs`. PostgreSQL has a pool and needs
 * none of this.
 */
export function prioritizeRequests(
  db: Database,
  options: PrioritizeOptions = {},
): PrioritizedDatabase {
  const quietMs = options.quietMs ?? 2;
  const maxDeferMs = options.maxDeferMs ?? 200;
  const now = options.now ?? (() => performance.now());
  let active = 0;
  let lastRequestEnded = Number.NEGATIVE_INFINITY;
  const waiting: Array<{ go: () => void; deadline: number }> = [];
  let timer: NodeJS.Timeout | undefined;

  function pump(): void {
    const at = now();
    while (waiting.length > 0) {
      const quiet = active === 0 && at - lastRequestEnded >= quietMs;
      const first = waiting[0] as { go: () => void; deadline: number };
      if (!quiet && first.deadline > at) break;
      waiting.shift();
      first.go();
      // While quiet, one at a time: the next goes when this one is done, if still quiet.
      if (quiet) break;
    }
    if (waiting.length > 0 && timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, quietMs);
      timer.unref();
    }
  }

  async function backgroundTurn(): Promise<void> {
    if (waiting.length === 0 && active === 0 && now() - lastRequestEnded >= quietMs) return;
    await new Promise<void>((go) => {
      waiting.push({ go, deadline: now() + maxDeferMs });
      pump();
    });
  }

  async function asRequest<T>(work: () => Promise<T>): Promise<T> {
    active++;
    try {
      return await work();
    } finally {
      active--;
      lastRequestEnded = now();
      if (waiting.length > 0) pump();
    }
  }

  async function asBackground<T>(work: () => Promise<T>): Promise<T> {
    await backgroundTurn();
    try {
      return await work();
    } finally {
      if (waiting.length > 0) pump();
    }
  }

  return {
    requests: {
      query: (sql, params) => asRequest(() => db.query(sql, params)),
      transaction: (work) => asRequest(() => db.transaction(work)),
      ping: () => db.ping(),
      close: () => db.close(),
    },
    background: {
      query: (sql, params) => asBackground(() => db.query(sql, params)),
      transaction: (work) => asBackground(() => db.transaction(work)),
      ping: () => db.ping(),
      close: () => db.close(),
    },
  };
}
