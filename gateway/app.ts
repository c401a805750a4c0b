import Koa from 'koa';
import type { Middleware } from 'koa';
import type Router from '@koa/router';
import compose from 'koa-compose';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { edge } from './edge/edge.js';
import { createHealthRouter } from './healthRoutes.js';
import type { ReadinessCheck } from './healthRoutes.js';
import { anonymousAuthenticator, authenticate } from './middleware/authenticate.js';
import type { Authenticator } from './middleware/authenticate.js';
import { jsonBody, readsBody } from './middleware/jsonBody.js';
import { compileRouteTable } from './routing/routeTable.js';
import type { RouteMatch } from './routing/routeTable.js';

export interface GatewayOptions {
  logger: Logger;
  registry: Registry;
  readiness: readonly ReadinessCheck[];
  /** Domain routers, mounted after authentication. */
  routers: readonly Router[];
  /**
   * Routers anyone may call, mounted before authentication like the health endpoints (the API
   * description): a stale token in the browser must not hide the docs.
   */
  publicRouters?: readonly Router[];
  bodyLimitBytes: number;
  authenticator?: Authenticator;
  /**
   * Run after authentication, before the routers, in order: audit, tenant standing, rate
   * limits, quotas. Each sees `ctx.state.requestContext`.
   */
  guards?: readonly Middleware[];
}

/** Requests from orchestrators and scrapers, not from users. */
const probePaths = new Set(['/healthz', '/readyz', '/metrics']);

/** The methods any route may declare (@koa/router's list); others are not implemented at all. */
const implementedMethods = new Set(['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE']);

/**
 * The HTTP edge: tracing, logs, metrics, problem+json errors, body limits, authentication, then
 * the route. Two Koa layers in all: the edge, and the dispatcher below, which looks the route
 * up once and runs either the route itself (public routes: probes, the API description) or the
 * guarded chain that ends in it.
 */
export function createGateway(options: GatewayOptions): Koa {
  const app = new Koa();
  // Koa would print errors itself; problemResponses already logs the ones that matter.
  app.silent = true;
  const table = compileRouteTable([
    {
      routers: [
        createHealthRouter(options.readiness, options.registry),
        ...(options.publicRouters ?? []),
      ],
      public: true,
    },
    { routers: options.routers, public: false },
  ]);

  /** The end of every chain: the matched route, or the answer for a path without one. */
  const serveRoute: Middleware = function serveRoute(ctx, next) {
    const match = ctx.state.routeMatch as RouteMatch | undefined;
    if (match) return match.run(ctx, next);
    if (!implementedMethods.has(ctx.method)) {
      // Exposed although a 5xx: the message names only the client's own method.
      ctx.throw(501, `${ctx.method} is not implemented`, { expose: true });
    }
    const known = table.methodsAt(ctx.path);
    if (!known) return next(); // the edge answers 404
    ctx.set('Allow', known.methods.join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 200;
      ctx.body = '';
      return undefined;
    }
    ctx.throw(405, `${ctx.method} is not allowed on ${ctx.path}`);
  };
  // Credentials first: a caller that is refused never has its body read. Requests whose method
  // carries no body (most of them: reads) skip the body layers altogether.
  const checks = [
    authenticate(options.authenticator ?? anonymousAuthenticator),
    ...(options.guards ?? []),
  ];
  const guardedWithBody = compose([...checks, ...jsonBody(options.bodyLimitBytes), serveRoute]);
  const guarded = compose([...checks, serveRoute]);

  app.use(edge({ logger: options.logger, registry: options.registry, quietPaths: probePaths }));
  app.use(function dispatch(ctx, next) {
    const match = table.find(ctx.method, ctx.path);
    if (match) {
      ctx.state.route = match.template;
      ctx.state.routeMatch = match;
      ctx.params = match.params;
      if (match.public) return match.run(ctx, next);
    } else if (table.methodsAt(ctx.path)?.public) {
      // A public path called with another method: answered without asking for credentials.
      return serveRoute(ctx, next);
    }
    return (readsBody(ctx.method) ? guardedWithBody : guarded)(ctx, next);
  });
  return app;
}

export type { ReadinessCheck, Authenticator };
