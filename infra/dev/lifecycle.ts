import type {
  DevService,
  DownOutcome,
  Progress,
  ServiceName,
  ServiceStatus,
  UpOutcome,
} from './devService.js';
import { serviceNames } from './devService.js';
import { kafkaService } from './kafkaService.js';
import { postgresService } from './postgresService.js';
import { redisService } from './redisService.js';

/** The one place that picks an implementation per service (local processes today). */
export const devServices: Readonly<Record<ServiceName, DevService>> = {
  postgres: postgresService,
  redis: redisService,
  kafka: kafkaService,
};

export type ServiceEvent =
  | { readonly service: ServiceName; readonly kind: 'progress'; readonly message: string }
  | { readonly service: ServiceName; readonly kind: 'up'; readonly outcome: UpOutcome }
  | { readonly service: ServiceName; readonly kind: 'down'; readonly outcome: DownOutcome }
  | { readonly service: ServiceName; readonly kind: 'failed'; readonly error: Error };

export interface LifecycleOptions {
  /** Called as things happen, so a caller can print Kafka's progress while PostgreSQL is done. */
  readonly onEvent?: (event: ServiceEvent) => void;
}

/** Raised after every selected service has had its go, naming each one that failed. */
export class DevServicesError extends Error {
  override readonly name = 'DevServicesError';

  constructor(
    readonly failures: ReadonlyArray<{ readonly service: ServiceName; readonly error: Error }>,
  ) {
    super(failures.map((f) => `${f.service}: ${f.error.message}`).join('\n'));
  }
}

function select(names: readonly ServiceName[] | undefined): DevService[] {
  const wanted = names === undefined || names.length === 0 ? serviceNames : names;
  return serviceNames.filter((name) => wanted.includes(name)).map((name) => devServices[name]);
}

/**
 * Services are independent, so they start and stop in parallel: Kafka's JVM dominates and
 * PostgreSQL's initdb hides behind it. One failure does not cancel the others, so a single
 * run reports every broken service at once.
 */
async function forEachService<T>(
  names: readonly ServiceName[] | undefined,
  options: LifecycleOptions,
  action: (service: DevService, progress: Progress) => Promise<T>,
  succeeded: (service: ServiceName, result: T) => ServiceEvent,
): Promise<T[]> {
  const emit = options.onEvent ?? (() => undefined);
  type Attempt =
    | { readonly ok: true; readonly value: T }
    | { readonly ok: false; readonly service: ServiceName; readonly error: Error };
  const attempts = await Promise.all(
    select(names).map(async (service): Promise<Attempt> => {
      try {
        const value = await action(service, (message) =>
          emit({ service: service.name, kind: 'progress', message }),
        );
        emit(succeeded(service.name, value));
        return { ok: true, value };
      } catch (caught) {
        const error = caught instanceof Error ? caught : new Error(String(caught));
        emit({ service: service.name, kind: 'failed', error });
        return { ok: false, service: service.name, error };
      }
    }),
  );
  const failures = attempts.flatMap((a) => (a.ok ? [] : [{ service: a.service, error: a.error }]));
  if (failures.length > 0) throw new DevServicesError(failures);
  return attempts.flatMap((a) => (a.ok ? [a.value] : []));
}

/** Starts the named services (default: all), or confirms they already run and answer. */
export function servicesUp(
  names?: readonly ServiceName[],
  options: LifecycleOptions = {},
): Promise<UpOutcome[]> {
  return forEachService(
    names,
    options,
    (service, progress) => service.up(progress),
    (service, outcome) => ({ service, kind: 'up', outcome }),
  );
}

export function servicesDown(
  names?: readonly ServiceName[],
  options: LifecycleOptions = {},
): Promise<DownOutcome[]> {
  return forEachService(
    names,
    options,
    (service, progress) => service.down(progress),
    (service, outcome) => ({ service, kind: 'down', outcome }),
  );
}

export function servicesStatus(names?: readonly ServiceName[]): Promise<ServiceStatus[]> {
  return Promise.all(select(names).map((service) => service.status()));
}
