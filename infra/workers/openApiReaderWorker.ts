/**
 * The OpenAPI reader's worker: reads one document per message with `readConnectorDocument` and
 * answers with the document or the error, as plain data (an `AwpError` does not survive the
 * structured clone as itself; its code, message and field violations do).
 */
import { parentPort } from 'node:worker_threads';
import { isAwpError } from '../../contracts/index.js';
import { readConnectorDocument } from '../../domains/agent/index.js';
import type { ReaderReply, ReaderRequest } from './openApiReaderMessages.js';

const port = parentPort;
if (!port) throw new Error('openApiReaderWorker runs as a worker thread');

port.on('message', (request: ReaderRequest) => {
  void readConnectorDocument(request.input, request.maxBytes, request.fetchedFrom).then(
    (document) => port.postMessage({ id: request.id, ok: true, document } satisfies ReaderReply),
    (error: unknown) => {
      const reply: ReaderReply = isAwpError(error)
        ? {
            id: request.id,
            ok: false,
            code: error.code,
            message: error.message,
            ...(error.details.field !== undefined ? { field: error.details.field } : {}),
            ...(error.details.violations ? { violations: [...error.details.violations] } : {}),
          }
        : { id: request.id, ok: false, code: 'internal', message: String(error) };
      port.postMessage(reply);
    },
  );
});
