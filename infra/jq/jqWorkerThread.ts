import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawnWorker.js';
import { createChannel, maxReleases, slot, spinUntil, state, status } from './jqChannel.js';
import type { Channel } from './jqChannel.js';
import type { JqWorkerData } from './jqWorker.js';
import { pageBytes } from './wasmBinary.js';
import type { JqWasm } from './wasmBinary.js';

export interface JqWorkerThreadOptions {
  wasm: JqWasm;
  memoryLimitBytes: number;
  maxInputBytes: number;
  maxOutputBytes: number;
  spinMicroseconds: number;
  timeoutMs: number;
  /** How long a new worker may take to start. */
  startTimeoutMs: number;
  /** Past this size of jq's memory, the worker is replaced after the request. */
  retainedMemoryBytes: number;
}

export interface Reply {
  status: number;
  /** The response's data: a JSON array of outputs, or jq's message. */
  text: string;
}

/** Answers after which jq's instance was discarded. */
const trapped = new Set<number>([status.outOfMemory, status.stackOverflow, status.crashed]);

/** The worker did not answer in time; it has been replaced. */
export class WorkerTimeout extends Error {
  override name = 'WorkerTimeout';
}

/** The worker did not start. */
export class WorkerUnavailable extends Error {
  override name = 'WorkerUnavailable';
}

// The worker's V8 stack: jq's recursion over nested values runs on it as well as on jq's own
// stack inside its memory.
const resourceLimits = { stackSizeMb: 16 };

function spawn(workerData: JqWorkerData): Worker {
  return spawnWorker(import.meta.url, 'jqWorker', { workerData, resourceLimits });
}

/**
 * The engine's side of one jq worker thread: synchronous requests over shared memory, each
 * bounded by the timeout. A worker that overruns it is terminated and a new one started at once;
 * the worker holds compiled programs only, so a new one only has to be told them again.
 */
export class JqWorkerThread {
  readonly #options: JqWorkerThreadOptions;
  #worker!: Worker;
  #channel!: Channel;
  #ready = false;
  #broken: Error | undefined;
  #closed = false;

  private constructor(options: JqWorkerThreadOptions) {
    this.#options = options;
    this.#replace();
  }

  /** Starts a worker and waits, without blocking, until it is ready. */
  static async start(options: JqWorkerThreadOptions): Promise<JqWorkerThread> {
    const thread = new JqWorkerThread(options);
    const deadline = performance.now() + options.startTimeoutMs;
    while (!thread.#takeReady()) {
      if (thread.#broken !== undefined) throw thread.#broken;
      if (performance.now() > deadline) {
        await thread.close();
        throw new WorkerUnavailable(`the jq worker did not start in ${options.startTimeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return thread;
  }

  /**
   * Sends one request and blocks until its response, at most the timeout. `releases` are
   * programs the worker may free first (taken from the front of the array).
   */
  request(operation: number, program: number, text: string, releases: number[]): Reply {
    if (this.#closed) throw new WorkerUnavailable('the jq engine is closed');
    if (this.#broken !== undefined) this.#replace();
    this.#awaitReady();
    const { header, data } = this.#channel;
    const sent = releases.splice(0, maxReleases);
    this.#channel.releases.set(sent);
    header[slot.releases] = sent.length;
    header[slot.op] = operation;
    header[slot.program] = program;
    header[slot.length] = data.write(text, 0, 'utf8');
    Atomics.store(header, slot.state, state.request);
    Atomics.notify(header, slot.state);

    const { timeoutMs, spinMicroseconds } = this.#options;
    if (!spinUntil(header, state.response, spinMicroseconds)) {
      const deadline = performance.now() + timeoutMs;
      while (Atomics.load(header, slot.state) !== state.response) {
        const left = deadline - performance.now();
        if (left <= 0) {
          this.#replace();
          throw new WorkerTimeout(`jq took longer than ${timeoutMs} ms`);
        }
        Atomics.wait(header, slot.state, state.request, left);
      }
    }
    const reply = {
      status: header[slot.status] as number,
      text: data.toString('utf8', 0, header[slot.length] as number),
    };
    Atomics.store(header, slot.state, state.idle);
    // WebAssembly memory never shrinks, and an idle worker never collects an instance it
    // dropped: a new worker is how memory that one run needed goes back to the system.
    const memoryBytes = (header[slot.memoryPages] as number) * pageBytes;
    if (trapped.has(reply.status) || memoryBytes > this.#options.retainedMemoryBytes) {
      this.#replace();
    }
    return reply;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#worker.terminate();
  }

  /** Terminates the current worker (if any) and starts a new one, with a new channel. */
  #replace(): void {
    if (this.#worker !== undefined) void this.#worker.terminate().catch(() => undefined);
    const { wasm, memoryLimitBytes, maxInputBytes, maxOutputBytes, spinMicroseconds } =
      this.#options;
    // A terminated worker may still be writing into its channel: the new one gets its own.
    this.#channel = createChannel(Math.max(maxInputBytes, maxOutputBytes));
    this.#ready = false;
    this.#broken = undefined;
    const worker = spawn({
      buffer: this.#channel.buffer,
      wasm,
      memoryLimitBytes,
      maxOutputBytes,
      spinMicroseconds,
    });
    worker.on('error', (error) => {
      if (this.#worker === worker) this.#broken = error;
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker && !this.#closed) {
        this.#broken ??= new WorkerUnavailable(`the jq worker exited with code ${code}`);
      }
    });
    // An idle engine must not keep the process alive.
    worker.unref();
    this.#worker = worker;
  }

  #takeReady(): boolean {
    if (this.#ready) return true;
    const { header } = this.#channel;
    if (Atomics.load(header, slot.state) !== state.response) return false;
    if (header[slot.status] !== status.ready) return false;
    Atomics.store(header, slot.state, state.idle);
    this.#ready = true;
    return true;
  }

  /** Blocks until a new worker is ready (it is only after a timeout or crash). */
  #awaitReady(): void {
    if (this.#takeReady()) return;
    const { header } = this.#channel;
    const deadline = performance.now() + this.#options.startTimeoutMs;
    while (!this.#takeReady()) {
      const left = deadline - performance.now();
      if (left <= 0) {
        this.#replace();
        throw new WorkerUnavailable(
          `the jq worker did not start in ${this.#options.startTimeoutMs} ms`,
        );
      }
      Atomics.wait(header, slot.state, Atomics.load(header, slot.state), Math.min(left, 50));
    }
  }
}
