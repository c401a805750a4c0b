import { createReadStream } from 'node:fs';
import { extname, join } from 'node:path';
import Router from '@koa/router';
import swaggerUiDirectory from 'swagger-ui-dist/absolute-path.js';
import { AwpError } from '../../contracts/index.js';
import openapiDocument from './generated/openapi.json' with { type: 'json' };

/** The files of Swagger UI the page loads: nothing else of the package is served. */
const swaggerUiAssets: ReadonlySet<string> = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

// Absolute paths: `/docs` and `/docs/` both serve the page, and a relative URL would resolve
// differently from each.
const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>AWP API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
    </script>
  </body>
</html>
`;

/** Swagger UI's files change only with the package version: a day in a cache is harmless. */
const assetCacheControl = 'public, max-age=86400';

/**
 * The API's description for anyone, without credentials: the OpenAPI document generated from
 * every domain's controllers at `/openapi.json`, and Swagger UI over it at `/docs`, served
 * from the installed swagger-ui-dist (no CDN: it works offline and on closed networks).
 */
export function createApiDocsRouter(): Router {
  const router = new Router();
  const documentText = JSON.stringify(openapiDocument);
  const assetDirectory = swaggerUiDirectory();

  router.get('/openapi.json', function openapiDocumentRoute(ctx) {
    ctx.type = 'application/json';
    ctx.body = documentText;
  });

  router.get('/docs', function docsPageRoute(ctx) {
    ctx.type = 'html';
    ctx.body = docsPage;
  });

  // The name is looked up in a fixed set, never joined into a path unchecked: `..` and
  // encoded slashes find nothing.
  router.get('/docs/:asset', function docsAssetRoute(ctx) {
    const { asset } = ctx.params as { asset: string };
    if (!swaggerUiAssets.has(asset)) {
      throw new AwpError('not_found', `the API docs have no file '${asset}'`);
    }
    ctx.type = extname(asset);
    ctx.set('Cache-Control', assetCacheControl);
    ctx.body = createReadStream(join(assetDirectory, asset));
  });

  return router;
}
