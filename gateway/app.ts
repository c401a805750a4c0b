import Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createHealthRoutes } from './healthRoutes.js';
import type { ReadinessCheck } from './healthRoutes.js';
import { anonymousAuthenticator, authenticate } from './middleware/authenticate.js';
import type { Authenticator } from './middleware/authenticate.js';
import { httpMetrics } from './middleware/httpMetrics.js';
import { jsonBody } from './middleware/jsonBody.js';
import { problemResponses } from './middleware/problemResponses.js';
import { requestLog } from './middleware/requestLog.js';
import { traceContext } from './middleware/traceContext.js';

export interface GatewayOptions {
  logger: Logger;
  registry: Registry;
  readiness: readonly ReadinessCheck[];
  /** Domain routers, mounted after authentication. */
  routers: readonly Router[];
  bodyLimitBytes: number;
  authenticator?: Authenticator;
}

/** The HTTP edge: tracing, logs, metrics, problem+json errors, body limits, authentication. */
export function createGateway(options: GatewayOptions): Koa {
  const app = new Koa();
  // Koa would print errors itself; problemResponses already logs the ones that matter.
  app.silent = true;
  app.use(traceContext());
  app.use(requestLog(options.logger));
  app.use(httpMetrics(options.registry));
  app.use(problemResponses(options.logger));

  const health = createHealthRoutes(options.readiness, options.registry);
  app.use(health.routes());
  app.use(health.allowedMethods({ throw: true }));

  for (const middleware of jsonBody(options.bodyLimitBytes)) app.use(middleware);
  app.use(authenticate(options.authenticator ?? anonymousAuthenticator));
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}

export type { ReadinessCheck, Authenticator };
