import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { AwpError, assertPermitted } from '../../contracts/index.js';
import type { Permission, RequestContext } from '../../contracts/index.js';
import type { Authenticator } from '../middleware/authenticate.js';
import type { TenantDirectory } from '../tenancy/tenantStanding.js';
import { refuseUpgrade } from './refuseUpgrade.js';
import { wireData } from './streamedEvent.js';
import type { StreamedEvent } from './streamedEvent.js';
import { bearerProtocol, upgradeCredentialHeaders } from './upgradeCredentials.js';

/** A WebSocket endpoint a module offers. */
export interface WebSocketRoute {
  /** Matched against the request's path; its captures become `params`. */
  path: RegExp;
  /** What the caller's roles must grant, as for an HTTP action's `@Security`. */
  permission: Permission;
  /**
   * Called before the upgrade: an `AwpError` (not_found for another account's resource)
   * answers the HTTP request with its problem instead, and no connection is opened.
   */
  open(request: WebSocketRouteRequest): Promise<WebSocketSession>;
}

export interface WebSocketRouteRequest {
  context: RequestContext & { accountId: string };
  /** The path's captures, percent-decoded. */
  params: readonly string[];
  /**
   * The credential the upgrade authenticated with, as headers (a token from the subprotocol or
   * the query becomes `authorization`), for a route that acts for the caller elsewhere.
   */
  credentials: { authorization?: string; account?: string; user?: string };
  /** Sends an event as a JSON frame `{ id, type, data }` (an error's data as problem+json). */
  send(event: StreamedEvent): void;
}

export interface WebSocketSession {
  /** One frame from the client, parsed from JSON. */
  receive(frame: unknown): Promise<void>;
  /** The connection closed. */
  close(): void;
}

export interface WebSocketGatewayOptions {
  authenticator: Authenticator;
  routes: readonly WebSocketRoute[];
  /** Refuses a suspended tenant, as the HTTP guards do. */
  tenants?: TenantDirectory;
  /** Largest frame a client may send. Default 64 KiB. */
  maxFrameBytes?: number;
  /** How often connections are pinged; one that did not answer the last ping is dropped. Default 30 s. */
  pingMs?: number;
}

export interface WebSocketGateway {
  /** For the HTTP server's `upgrade` event. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection (1001, going away) and refuses new ones. */
  close(): Promise<void>;
}

/**
 * WebSockets beside the Koa app, on the same server: each upgrade is authenticated with the
 * gateway's authenticator and checked like an HTTP action (401, 403, and the route's own 404)
 * before the connection is upgraded, so a refused client gets a problem+json answer, not a
 * connection that closes at once.
 */
export function createWebSocketGateway(options: WebSocketGatewayOptions): WebSocketGateway {
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes ?? 64 * 1024,
    // A browser that sent its token as a subprotocol fails unless one is chosen.
    handleProtocols: (protocols) => (protocols.has(bearerProtocol) ? bearerProtocol : false),
  });
  const alive = new WeakSet<WebSocket>();
  const pings = setInterval(() => {
    for (const client of server.clients) {
      if (!alive.has(client)) {
        client.terminate();
        continue;
      }
      alive.delete(client);
      client.ping();
    }
  }, options.pingMs ?? 30_000);
  pings.unref();
  let closing = false;

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closing) throw new AwpError('unavailable', 'the server is stopping', { retryable: true });
    const url = new URL(request.url ?? '/', 'http://upgrade.invalid');
    const route = options.routes.find((candidate) => candidate.path.test(url.pathname));
    const match = route ? url.pathname.match(route.path) : null;
    if (!route || !match) throw new AwpError('not_found', `no WebSocket at ${url.pathname}`);
    const headers = upgradeCredentialHeaders(request.headers, url);
    const context = await contextOf(headers);
    assertPermitted(context, route.permission);
    if ((await options.tenants?.standing(context.accountId))?.status === 'suspended') {
      throw new AwpError('forbidden', `account '${context.accountId}' is suspended`);
    }
    let client: WebSocket | undefined;
    const early: StreamedEvent[] = [];
    const send = (event: StreamedEvent) => (client ? sendFrame(client, event) : early.push(event));
    const session = await route.open({
      context,
      params: paramsOf(match),
      credentials: credentialsOf(headers),
      send,
    });
    if (socket.destroyed) return session.close();
    server.handleUpgrade(request, socket, head, (upgraded) => {
      client = upgraded;
      alive.add(upgraded);
      upgraded.on('pong', () => alive.add(upgraded));
      upgraded.on('close', () => session.close());
      upgraded.on('message', (data, isBinary) => receive(upgraded, session, data, isBinary));
      for (const event of early.splice(0)) sendFrame(upgraded, event);
    });
  }

  async function contextOf(
    headers: ReturnType<typeof upgradeCredentialHeaders>,
  ): Promise<RequestContext & { accountId: string }> {
    const identity = await options.authenticator.authenticate(headers);
    const context: RequestContext = {
      correlationId: randomBytes(16).toString('hex'),
      actor: identity.actor,
      ...(identity.accountId ? { accountId: identity.accountId, roles: identity.roles } : {}),
    };
    if (!context.accountId) {
      throw new AwpError('unauthorized', 'this WebSocket needs an authenticated account');
    }
    return context as RequestContext & { accountId: string };
  }

  return {
    handleUpgrade(request, socket, head) {
      upgrade(request, socket, head).catch((error: unknown) => refuseUpgrade(socket, error));
    },
    async close() {
      closing = true;
      clearInterval(pings);
      const closed = [...server.clients].map(
        (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
      );
      for (const client of server.clients) client.close(1001, 'server stopping');
      const deadline = setTimeout(() => server.clients.forEach((c) => c.terminate()), 2_000);
      await Promise.all(closed);
      clearTimeout(deadline);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function paramsOf(match: RegExpMatchArray): string[] {
  try {
    return match.slice(1).map((param) => decodeURIComponent(param ?? ''));
  } catch {
    throw new AwpError('not_found', 'no such resource');
  }
}

function sendFrame(client: WebSocket, event: StreamedEvent): void {
  if (client.readyState !== client.OPEN) return;
  const frame = { ...(event.id === undefined ? {} : { id: event.id }), type: event.event };
  client.send(JSON.stringify({ ...frame, data: wireData(event) }));
}

function receive(client: WebSocket, session: WebSocketSession, data: RawData, isBinary: boolean) {
  const refuse = (message: string) =>
    sendFrame(client, { event: 'error', data: new AwpError('validation', message) });
  if (isBinary) return refuse('frames must be text: one JSON object each');
  let frame: unknown;
  try {
    frame = JSON.parse(rawText(data));
  } catch (error) {
    return refuse(`the frame is not valid JSON: ${(error as Error).message}`);
  }
  session
    .receive(frame)
    .catch((error: unknown) => sendFrame(client, { event: 'error', data: error }));
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function credentialsOf(
  headers: ReturnType<typeof upgradeCredentialHeaders>,
): WebSocketRouteRequest['credentials'] {
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const authorization = header('authorization');
  const account = header('x-awp-account');
  const user = header('x-awp-user');
  return {
    ...(authorization ? { authorization } : {}),
    ...(account ? { account } : {}),
    ...(user ? { user } : {}),
  };
}
