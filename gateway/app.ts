import Koa from 'koa';
import type { Middleware } from 'koa';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { edge } from './edge/edge.js';
import { healthEndpoints } from './healthRoutes.js';
import type { ReadinessCheck } from './healthRoutes.js';
import { anonymousAuthenticator, authenticate } from './middleware/authenticate.js';
import type { Authenticator } from './middleware/authenticate.js';
import { jsonBody } from './middleware/jsonBody.js';

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

/** The HTTP edge: tracing, logs, metrics, problem+json errors, body limits, authentication. */
export function createGateway(options: GatewayOptions): Koa {
  const app = new Koa();
  // Koa would print errors itself; problemResponses already logs the ones that matter.
  app.silent = true;
  app.use(edge({ logger: options.logger, registry: options.registry, quietPaths: probePaths }));
  app.use(healthEndpoints(options.readiness, options.registry));
  for (const router of options.publicRouters ?? []) mount(app, router);

  // Credentials first: a caller that is refused never has its body read.
  app.use(authenticate(options.authenticator ?? anonymousAuthenticator));
  for (const guard of options.guards ?? []) app.use(guard);
  for (const middleware of jsonBody(options.bodyLimitBytes)) app.use(middleware);
  for (const router of options.routers) mount(app, router);
  return app;
}

/** A router's routes, with 405 (not 404) for a known path called with another method. */
function mount(app: Koa, router: Router): void {
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
}

export type { ReadinessCheck, Authenticator };
