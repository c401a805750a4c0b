import type { Worker } from 'node:worker_threads';
import { AwpError } from '../../contracts/index.js';
import type { ConnectorDocument } from '../../domains/agent/index.js';
import type { ReaderReply, ReaderRequest } from './openApiReaderMessages.js';
import { spawnWorker } from './spawnWorker.js';

export interface OpenApiReaderThreadOptions {
  /** Longest a document may take to read; past it the worker is replaced. Default 60 s. */
  timeoutMs?: number;
  /** An idle worker is stopped after this long, giving back swagger-parser's memory. Default 60 s. */
  idleMs?: number;
}

interface Pending {
  resolve(document: ConnectorDocument): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Reads connectors' OpenAPI documents (and extracts their operations) on a worker thread, so that validating a large one
 * (swagger-parser takes 200–600 ms over a few thousand operations) does not stop the process
 * from serving everything else. One worker, started on the first read, serves reads one after
 * another in its own event loop; it stops when idle. A read that outlasts the timeout, or a
 * worker that dies, fails the reads it had and the next read starts a new worker.
 */
export class OpenApiReaderThread {
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: OpenApiReaderThreadOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#idleMs = options.idleMs ?? 60_000;
  }

  /** `ConnectorDocumentReader`: the same result and errors as `readConnectorDocument`. */
  readonly read = (
    input: string | Record<string, unknown>,
    maxBytes: number,
    fetchedFrom: string | null,
  ): Promise<ConnectorDocument> => {
    if (this.#closed) {
      return Promise.reject(new AwpError('unavailable', 'the platform is shutting down'));
    }
    const worker = this.#started();
    const id = this.#nextId++;
    return new Promise<ConnectorDocument>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#replace(
          new AwpError(
            'validation',
            `the document took longer than ${this.#timeoutMs / 1000} s to read and validate`,
            { field: 'document' },
          ),
        );
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      // While a read is pending the worker keeps the process alive; idle, it never does.
      worker.ref();
      worker.postMessage({ id, input, maxBytes, fetchedFrom } satisfies ReaderRequest);
    });
  };

  /** Fails pending reads and stops the worker. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#replace(new AwpError('unavailable', 'the platform is shutting down'));
    await worker?.terminate();
  }

  #started(): Worker {
    clearTimeout(this.#idleTimer);
    if (this.#worker) return this.#worker;
    const worker = spawnWorker(import.meta.url, 'openApiReaderWorker');
    worker.on('message', (reply: ReaderReply) => this.#settle(reply));
    worker.on('error', (error) => {
      if (this.#worker === worker) {
        this.#replace(new AwpError('internal', 'the OpenAPI reader failed', { cause: error }));
      }
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker) {
        this.#replace(new AwpError('internal', `the OpenAPI reader exited with code ${code}`));
      }
    });
    this.#worker = worker;
    return worker;
  }

  #settle(reply: ReaderReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return; // timed out already
    this.#pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(reply.document);
    else {
      pending.reject(
        new AwpError(reply.code, reply.message, {
          ...(reply.field !== undefined ? { field: reply.field } : {}),
          ...(reply.violations ? { violations: reply.violations } : {}),
        }),
      );
    }
    if (this.#pending.size === 0) this.#idle();
  }

  #idle(): void {
    const worker = this.#worker;
    worker?.unref();
    this.#idleTimer = setTimeout(() => {
      if (this.#worker === worker && this.#pending.size === 0) {
        this.#worker = undefined;
        void worker?.terminate();
      }
    }, this.#idleMs).unref();
  }

  /** Stops the worker, failing every read it had with `error`; the next read starts anew. */
  #replace(error: AwpError): void {
    const worker = this.#worker;
    this.#worker = undefined;
    clearTimeout(this.#idleTimer);
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
    if (worker) void worker.terminate().catch(() => undefined);
  }
}
