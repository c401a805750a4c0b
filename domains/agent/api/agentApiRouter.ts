import Router from '@koa/router';
import { validationProblems } from '../../../contracts/api/index.js';
import { RegisterRoutes, objectParameters } from './generated/routes.js';
import { provideRequestScope } from './requestScope.js';
import type { AgentApiDeps } from './requestScope.js';

/**
 * The agent API (`/v1/connectors`, and what the domain adds) as one router for the gateway:
 * tsoa's generated routes behind two router-level middlewares, which @koa/router runs only
 * for requests one of these routes matched (other paths fall through to the next router).
 */
export function createAgentApiRouter(deps: AgentApiDeps): Router {
  const router = new Router();
  router.use(validationProblems(objectParameters));
  router.use(provideRequestScope(deps));
  RegisterRoutes(router);
  return router;
}
