import type { OutboundHttp } from '../../domains/workflow/index.js';

/** The agent catalog's stored documents, as the binding below reads them. */
export interface StoredConnectorDocuments {
  document(accountId: string, connectorId: string): Promise<unknown>;
}

const connectorUri = /^awp:\/\/connectors\/([A-Za-z0-9_-]{1,128})\/openapi\.json$/;

/**
 * Lets `call: openapi` tasks load a connector that was uploaded rather than fetched
 * (`awp://connectors/<id>/openapi.json`): the document comes from the account's own catalog,
 * never from the network, and another account's connector is simply not found (404). Every
 * other URL goes to the guarded outbound client unchanged.
 */
export function withConnectorDocuments(
  outbound: OutboundHttp,
  connectors: () => StoredConnectorDocuments | undefined,
): OutboundHttp {
  return {
    async send(request, options) {
      const match = connectorUri.exec(request.url);
      if (!match) return outbound.send(request, options);
      const catalog = connectors();
      const document =
        catalog && request.method === 'GET'
          ? await catalog.document(options.accountId, match[1] as string).catch(() => undefined)
          : undefined;
      const found = document !== undefined;
      return {
        status: found ? 200 : 404,
        statusText: found ? 'OK' : 'Not Found',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(found ? JSON.stringify(document) : '{}'),
        url: request.url,
      };
    },
  };
}
