import type Router from '@koa/router';
import FindMyWay from 'find-my-way';
import type { HTTPMethod } from 'find-my-way';
import compose from 'koa-compose';
import type { Middleware } from 'koa';

/** Routers whose routes share a standing: public ones are served before authentication. */
export interface RouterGroup {
  routers: readonly Router[];
  public: boolean;
}

/** The route a request matched: its template (the metrics label), path parameters and chain. */
export interface RouteMatch {
  template: string;
  params: Record<string, string>;
  /** The router's own middlewares for this route (`router.use`), then the route's, composed. */
  run: Middleware;
  public: boolean;
}

/** What a path answers when the request's method has no route there. */
export interface PathMethods {
  /** Upper case, HEAD included wherever GET is, as @koa/router registers them. */
  methods: readonly string[];
  public: boolean;
}

export interface RouteTable {
  find(method: string, path: string): RouteMatch | undefined;
  /** Every method some route serves at `path`; undefined when no route has the path at all. */
  methodsAt(path: string): PathMethods | undefined;
}

interface RouteEntry {
  template: string;
  run: Middleware;
  public: boolean;
}

// @koa/router matches case-insensitively, an optional trailing slash included; the table keeps
// both so no client that worked before breaks. Parameters longer than find-my-way's default
// 100 characters (schema registry subjects, stream ids) must still route.
const routerOptions = { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 2048 };

/** Templates the table accepts: literal segments and `:name` parameters, nothing cleverer. */
const plainTemplate = /^(\/(:?[A-Za-z0-9._~-]+)?)+$/;

/**
 * One lookup for every route of every router. @koa/router, mounted once per router, tests each
 * request against every router in turn — reading the host, matching its regular expressions,
 * composing the matched layers anew — and then walks each router's `allowedMethods`; with seven
 * routers that was the largest part of a cheap request's cost after Node's own HTTP work. Here
 * the routers' layers are read once at start-up into a radix tree (find-my-way, Fastify's
 * router) and each route's middleware chain is composed once.
 *
 * Only what the routers declare is honoured: `router.use` middlewares (prefixed or not) run
 * before a route's own, as @koa/router runs them; paths are plain templates. A route declared
 * twice, or a template this table cannot express, fails at start-up rather than shadowing.
 */
export function compileRouteTable(groups: readonly RouterGroup[]): RouteTable {
  const routes = FindMyWay(routerOptions);
  // Keyed by the template with its parameter names erased: `/a/:id` and `/a/:name` are one path.
  const paths = FindMyWay(routerOptions);
  const methodsByShape = new Map<string, { methods: Set<string>; public: boolean }>();

  for (const group of groups) {
    for (const router of group.routers) {
      const routerMiddlewares = router.stack.filter((layer) => layer.methods.length === 0);
      for (const layer of router.stack) {
        if (layer.methods.length === 0) continue;
        const template = layer.path;
        if (typeof template !== 'string' || !plainTemplate.test(template)) {
          throw new Error(`route ${String(template)}: only literal segments and :params route`);
        }
        const chain = [
          ...routerMiddlewares.filter((use) => use.match(template)).flatMap((use) => use.stack),
          ...layer.stack,
        ] as Middleware[];
        const entry: RouteEntry = { template, run: compose(chain), public: group.public };
        // HEAD last, so a clash names the method the router declared (GET brings HEAD along).
        const methods = [...layer.methods].sort((a, b) => +(a === 'HEAD') - +(b === 'HEAD'));
        for (const method of methods) {
          if (routes.hasRoute(method as HTTPMethod, template)) {
            throw new Error(`route ${method} ${template} is declared twice`);
          }
          routes.on(method as HTTPMethod, template, noHandler, entry);
        }
        const shape = template.replace(/:[^/]+/g, ':_');
        let known = methodsByShape.get(shape);
        if (!known) {
          known = { methods: new Set(), public: group.public };
          methodsByShape.set(shape, known);
          paths.on('GET', shape, noHandler, known);
        }
        if (known.public !== group.public) {
          throw new Error(`path ${template} is both public and authenticated`);
        }
        for (const method of layer.methods) known.methods.add(method);
      }
    }
  }

  return {
    find(method, path) {
      const found = routes.find(method as HTTPMethod, path);
      if (!found) return undefined;
      const entry = found.store as RouteEntry;
      return {
        template: entry.template,
        params: found.params as Record<string, string>,
        run: entry.run,
        public: entry.public,
      };
    },
    methodsAt(path) {
      const found = paths.find('GET', path);
      if (!found) return undefined;
      const known = found.store as { methods: Set<string>; public: boolean };
      return { methods: [...known.methods], public: known.public };
    },
  };
}

/** find-my-way wants a handler; the table keeps what it needs in each route's store. */
function noHandler(): void {}
