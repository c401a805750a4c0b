import Router from '@koa/router';
import { validationProblems } from '../../../contracts/api/index.js';
import { RegisterRoutes, objectParameters } from './generated/routes.js';
import { provideRequestScope } from './requestScope.js';
import type { PlatformApiDeps } from './requestScope.js';

/**
 * The platform API (`/v1/tenants`, `/v1/admin/tenants`, `/v1/secrets`, `/v1/admin/secrets`,
 * `/v1/api-keys`) as one router for the gateway: tsoa's generated routes behind two
 * router-level middlewares, which @koa/router runs only for requests one of these routes matched.
 */
export function createPlatformApiRouter(deps: PlatformApiDeps): Router {
  const router = new Router();
  router.use(validationProblems(objectParameters));
  router.use(provideRequestScope(deps));
  RegisterRoutes(router);
  return router;
}
