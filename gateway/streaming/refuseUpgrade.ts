import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemFor } from '../problemDetails.js';

/**
 * Answers a refused upgrade as plain HTTP, with the problem+json any other request would get,
 * and closes the socket: nothing was upgraded, so there is no WebSocket to close with a code.
 */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  if (socket.destroyed) return;
  const problem = problemFor(error);
  const body = JSON.stringify(problem);
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...(problem.status === 401 ? ['WWW-Authenticate: Bearer'] : []),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
