/**
 * The contract every development service fulfils. The local-process implementations in this
 * folder are one way to meet it; a testcontainers-backed one for machines with Docker can be
 * swapped in without touching the CLI or the programmatic API.
 */
export const serviceNames = ['postgres', 'redis', 'kafka'] as const;
export type ServiceName = (typeof serviceNames)[number];

export function isServiceName(value: string): value is ServiceName {
  return (serviceNames as readonly string[]).includes(value);
}

/** Receives human-readable progress lines for slow steps (initdb, jar download, formatting). */
export type Progress = (message: string) => void;

export interface ServiceStatus {
  readonly name: ServiceName;
  /** `unhealthy`: a process of ours is alive but does not answer its health probe. */
  readonly state: 'running' | 'stopped' | 'unhealthy';
  readonly pid?: number;
  readonly endpoint: string;
  readonly url: string;
  readonly detail?: string;
}

export interface UpOutcome {
  readonly name: ServiceName;
  readonly action: 'started' | 'already-running';
  readonly pid?: number;
  readonly endpoint: string;
  readonly elapsedMs: number;
}

export interface DownOutcome {
  readonly name: ServiceName;
  readonly action: 'stopped' | 'already-stopped';
  readonly pid?: number;
}

export interface DevService {
  readonly name: ServiceName;
  /** host:port the service listens on. */
  readonly endpoint: string;
  /** What a client library takes: a connection URL, or the broker list for Kafka. */
  readonly url: string;
  up(progress: Progress): Promise<UpOutcome>;
  down(progress: Progress): Promise<DownOutcome>;
  status(): Promise<ServiceStatus>;
}

/**
 * A service failed to start or stop. Carries the end of its log because the log, not the
 * message, usually says why (port taken, bad config, out of memory).
 */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';

  constructor(
    readonly service: ServiceName,
    message: string,
    readonly logFile?: string,
    readonly logTail: readonly string[] = [],
  ) {
    super(message);
  }
}
