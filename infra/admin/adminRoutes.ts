import Router from '@koa/router';
import { z } from 'zod';
import { AwpError, parseInput, startOfLog } from '../../contracts/index.js';
import type { EventStore, LoggedEvent } from '../../contracts/index.js';
import type { ProjectionRunner } from '../../projections/index.js';
import { adminAccess } from './adminAccess.js';
import { formatCursor, parseCursor } from './logCursor.js';

export interface AdminRoutesDeps {
  eventStore: EventStore;
  /** Started after the server listens; until then projection calls answer 503. */
  projections: () => ProjectionRunner | undefined;
  adminToken: string | undefined;
}

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' });
const oneOrMany = z
  .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(50)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

const eventsQuery = z
  .object({
    after: z.string().max(60).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    account: z.string().min(1).max(200).optional(),
    type: oneOrMany.optional(),
    stream: z.string().min(1).max(300).optional(),
    from: instant.optional(),
    to: instant.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: "must be later than 'from'",
    path: ['to'],
  });

const projectionParams = z.object({ name: z.string().min(1).max(200) });
const streamParams = z.object({ streamId: z.string().min(1).max(300) });

/** Wire form of a logged event: the envelope plus where it sits in the log. */
function exported(event: LoggedEvent) {
  const { globalPosition, transactionId, ...envelope } = event;
  return {
    ...envelope,
    position: globalPosition,
    cursor: formatCursor({ transactionId, position: globalPosition }),
  };
}

/**
 * `/v1/admin`: the audit and replay surface behind `awp events …` and `awp projections …`.
 * Operators read every tenant's events here, so access is guarded separately from user routes.
 */
export function createAdminRoutes(deps: AdminRoutesDeps): Router {
  const router = new Router({ prefix: '/v1/admin' });
  router.use(adminAccess(deps.adminToken));

  // `after=head` starts at the end of the log: what `awp events tail` follows from.
  router.get('/events', async function listEventsRoute(ctx) {
    const query = parseInput(eventsQuery, ctx.query, 'query');
    const after =
      query.after === undefined
        ? startOfLog
        : query.after === 'head'
          ? await deps.eventStore.horizonCursor()
          : parseCursor(query.after);
    const page = await deps.eventStore.readAll(after, query.limit, {
      ...(query.account ? { accountId: query.account } : {}),
      ...(query.type ? { types: query.type } : {}),
      ...(query.stream ? { streamId: query.stream } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
    });
    ctx.body = {
      events: page.events.map(exported),
      next: formatCursor(page.next),
      // A full page means there may be more right away; otherwise poll again later.
      more: page.events.length === query.limit,
    };
  });

  router.get('/streams/:streamId/events', async function readStreamRoute(ctx) {
    const { streamId } = parseInput(streamParams, ctx.params, 'path');
    const events = await deps.eventStore.readStream(streamId);
    if (events.length === 0) throw new AwpError('not_found', `stream '${streamId}' has no events`);
    ctx.body = { streamId, version: events.at(-1)?.streamVersion, events };
  });

  const runner = (): ProjectionRunner => {
    const running = deps.projections();
    if (!running) throw new AwpError('unavailable', 'projections are still starting');
    return running;
  };

  router.get('/projections', async function listProjectionsRoute(ctx) {
    ctx.body = { projections: await runner().list() };
  });

  router.post('/projections/:name/rebuild', async function rebuildProjectionRoute(ctx) {
    const { name } = parseInput(projectionParams, ctx.params, 'path');
    const { replayed } = await runner().rebuild(name);
    ctx.body = { name, replayed };
  });

  return router;
}
