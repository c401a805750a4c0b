import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { describe, expect, it } from 'vitest';
import { compileRouteTable } from './routeTable.js';

/** Runs a matched route's chain on a bare context and returns what it recorded. */
async function runRoute(run: Middleware): Promise<string[]> {
  const ctx = { state: { trail: [] as string[] } } as unknown as Context;
  await run(ctx, async () => undefined);
  return ctx.state.trail as string[];
}

const step =
  (name: string): Middleware =>
  async (ctx, next) => {
    (ctx.state.trail as string[]).push(name);
    await next();
  };

describe('the compiled route table', () => {
  const workflows = new Router();
  workflows.use(step('scope'));
  workflows.get('/v1/workflows/:workflowId', step('get'));
  workflows.delete('/v1/workflows/:workflowId', step('delete'));
  workflows.get('/v1/workflows/search', step('search'));
  const admin = new Router({ prefix: '/v1/admin' });
  admin.use(step('operator'));
  admin.get('/streams/:streamId/events', step('stream'));
  const docs = new Router();
  docs.get('/openapi.json', step('openapi'));
  const table = compileRouteTable([
    { routers: [docs], public: true },
    { routers: [workflows, admin], public: false },
  ]);

  it('finds a route with its template and decoded parameters', () => {
    const match = table.find('GET', '/v1/workflows/order%20intake');
    expect(match).toMatchObject({
      template: '/v1/workflows/:workflowId',
      params: { workflowId: 'order intake' },
      public: false,
    });
  });

  it('runs the router’s own middlewares before the route’s, composed once', async () => {
    expect(await runRoute(table.find('GET', '/v1/workflows/w1')!.run)).toEqual(['scope', 'get']);
    const stream = table.find('GET', '/v1/admin/streams/workflow-1/events')!;
    expect(stream.params).toEqual({ streamId: 'workflow-1' });
    expect(await runRoute(stream.run)).toEqual(['operator', 'stream']);
  });

  it('does not run one router’s middlewares for another router’s routes', async () => {
    expect(await runRoute(table.find('GET', '/openapi.json')!.run)).toEqual(['openapi']);
  });

  it('prefers a literal segment to a parameter, whatever the declaration order', () => {
    expect(table.find('GET', '/v1/workflows/search')?.template).toBe('/v1/workflows/search');
  });

  it('matches as @koa/router did: any letter case, an optional trailing slash', () => {
    expect(table.find('GET', '/V1/Workflows/Abc/')).toMatchObject({
      params: { workflowId: 'Abc' },
    });
    expect(table.find('HEAD', '/v1/workflows/w1')?.template).toBe('/v1/workflows/:workflowId');
  });

  it('routes parameters longer than find-my-way’s default 100 characters', () => {
    const long = 'x'.repeat(500);
    expect(table.find('GET', `/v1/workflows/${long}`)?.params).toEqual({ workflowId: long });
  });

  it('finds nothing for an unknown path or a method the path lacks', () => {
    expect(table.find('GET', '/v1/nowhere')).toBeUndefined();
    expect(table.find('POST', '/v1/workflows/w1')).toBeUndefined();
  });

  it('tells which methods a path answers, and whether it is public', () => {
    expect(table.methodsAt('/v1/workflows/w1')).toEqual({
      methods: ['HEAD', 'GET', 'DELETE'],
      public: false,
    });
    expect(table.methodsAt('/openapi.json')).toEqual({ methods: ['HEAD', 'GET'], public: true });
    expect(table.methodsAt('/v1/nowhere')).toBeUndefined();
  });

  it('refuses a route declared twice rather than letting one shadow the other', () => {
    const one = new Router();
    one.get('/v1/things/:id', step('one'));
    const two = new Router();
    two.get('/v1/things/:thingId', step('two'));
    expect(() => compileRouteTable([{ routers: [one, two], public: false }])).toThrow(
      'route GET /v1/things/:thingId is declared twice',
    );
  });

  it('refuses a path that is public in one router and authenticated in another', () => {
    const open = new Router();
    open.get('/v1/things', step('list'));
    const guarded = new Router();
    guarded.post('/v1/things', step('create'));
    expect(() =>
      compileRouteTable([
        { routers: [open], public: true },
        { routers: [guarded], public: false },
      ]),
    ).toThrow('path /v1/things is both public and authenticated');
  });

  it('refuses templates it cannot express', () => {
    const wild = new Router();
    wild.get('/files/{*rest}', step('files'));
    expect(() => compileRouteTable([{ routers: [wild], public: false }])).toThrow(
      'only literal segments and :params route',
    );
  });
});
