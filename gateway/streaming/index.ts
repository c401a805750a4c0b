// Live streams to clients, for any domain: Server-Sent Events and WebSockets.
export { serverSentEvents } from './serverSentEvents.js';
export type { ServerSentEventsOptions } from './serverSentEvents.js';
export { createWebSocketGateway } from './webSocketGateway.js';
export type {
  WebSocketGateway,
  WebSocketGatewayOptions,
  WebSocketRoute,
  WebSocketRouteRequest,
  WebSocketSession,
} from './webSocketGateway.js';
export type { StreamedEvent } from './streamedEvent.js';
export { upgradeCredentialHeaders } from './upgradeCredentials.js';
