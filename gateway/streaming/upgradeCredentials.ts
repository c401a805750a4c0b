import type { IncomingHttpHeaders } from 'node:http';

/** The subprotocol a browser names to carry its token: `Sec-WebSocket-Protocol: bearer, <token>`. */
export const bearerProtocol = 'bearer';

/**
 * The headers to authenticate a WebSocket upgrade with. Browsers cannot set `Authorization` on
 * a WebSocket, so the token may also come as the subprotocol pair `bearer, <token>` or as
 * `?access_token=` (RFC 6750 §2.3); either becomes the `Authorization` header the gateway's
 * authenticator reads. A real `Authorization` header wins.
 */
export function upgradeCredentialHeaders(
  headers: IncomingHttpHeaders,
  url: URL,
): Record<string, string | string[] | undefined> {
  if (headers.authorization !== undefined) return headers;
  const token =
    tokenFromProtocols(headers['sec-websocket-protocol']) ?? url.searchParams.get('access_token');
  return token ? { ...headers, authorization: `Bearer ${token}` } : headers;
}

function tokenFromProtocols(header: string | undefined): string | undefined {
  const [first, second] = (header ?? '').split(',').map((protocol) => protocol.trim());
  return first === bearerProtocol && second ? second : undefined;
}
