import { asObject, readOrderItems, recordSideEffect } from './customerApiParts.js';
import type { OrderItem, SideEffect } from './customerApiParts.js';
import { startHttpServer } from './httpServer.js';
import type { RecordedRequest } from './httpServer.js';
import { createIdempotencyStore, idempotent } from './idempotency.js';
import { problem, requireBearer, routeRequests } from './jsonRoutes.js';
import type { JsonReply, Route, RouteRequest } from './jsonRoutes.js';
import { kitchenApiDocument } from './kitchenApiDocument.js';

export interface KitchenApiOptions {
  /** How many orders may be scheduled at once; default 3. */
  capacity?: number;
  /** The bearer token scheduleOrder and cancelSchedule require; default 'kitchen-token'. */
  token?: string;
  /** Preparation minutes per unit ordered; default 4. */
  prepMinutesPerUnit?: number;
  /** The kitchen's clock; default the system clock. */
  now?: () => Date;
}

export interface KitchenSchedule {
  scheduleId: string;
  orderId: string;
  items: OrderItem[];
  status: 'scheduled' | 'cancelled';
  startAt: string;
  readyAt: string;
}

/** The customer's Kitchen API stand-in: capacity, and scheduling orders into it. */
export interface KitchenApi {
  baseUrl: string;
  token: string;
  requests: RecordedRequest[];
  schedules: Map<string, KitchenSchedule>;
  /** Schedules created or cancelled, one entry each; replays under an Idempotency-Key add none. */
  sideEffects: SideEffect[];
  /** Changes the capacity, e.g. to 0 so the next scheduleOrder is rejected as kitchen full. */
  setCapacity(capacity: number): void;
  close(): Promise<void>;
}

/**
 * Starts the Kitchen API. Nothing stops the same order being scheduled twice (there is no
 * natural-key check), so only the Idempotency-Key keeps a retried POST from booking twice —
 * which is what the engine's tests need to observe.
 */
export async function startKitchenApi(options: KitchenApiOptions = {}): Promise<KitchenApi> {
  const token = options.token ?? 'kitchen-token';
  const now = options.now ?? (() => new Date());
  const prepMinutesPerUnit = options.prepMinutesPerUnit ?? 4;
  let capacity = options.capacity ?? 3;
  const schedules = new Map<string, KitchenSchedule>();
  const sideEffects: SideEffect[] = [];
  let baseUrl = '';

  const active = () => [...schedules.values()].filter((s) => s.status === 'scheduled').length;

  function getCapacity(): JsonReply {
    const available = Math.max(0, capacity - active());
    const body = { capacity, activeOrders: active(), available, acceptingOrders: available > 0 };
    return { status: 200, body };
  }

  function scheduleOrder(request: RouteRequest): JsonReply {
    const body = asObject(request.body);
    const orderId = body?.orderId;
    if (typeof orderId !== 'string' || orderId === '') {
      return problem(400, 'Invalid schedule request', "'orderId' must be a non-empty string");
    }
    const items = readOrderItems(body?.items);
    if (typeof items === 'string') return problem(400, 'Invalid schedule request', items);
    const notBefore = body?.notBefore;
    const start = typeof notBefore === 'string' ? new Date(notBefore) : now();
    if (Number.isNaN(start.getTime())) {
      return problem(400, 'Invalid schedule request', "'notBefore' must be a date-time");
    }
    if (active() >= capacity) {
      return problem(409, 'Kitchen at capacity', `all ${capacity} slots are taken`, {
        type: 'https://kitchen.example/problems/kitchen-full',
      });
    }
    const units = items.reduce((sum, item) => sum + item.quantity, 0);
    const ready = new Date(start.getTime() + units * prepMinutesPerUnit * 60_000);
    const scheduleId = `sch-${schedules.size + 1}`;
    const schedule: KitchenSchedule = {
      scheduleId,
      orderId,
      items,
      status: 'scheduled',
      startAt: start.toISOString(),
      readyAt: ready.toISOString(),
    };
    schedules.set(scheduleId, schedule);
    recordSideEffect(sideEffects, 'scheduleOrder', scheduleId, request);
    return {
      status: 201,
      body: schedule,
      headers: { location: `${baseUrl}/schedules/${scheduleId}` },
    };
  }

  function getSchedule(request: RouteRequest): JsonReply {
    const schedule = schedules.get(request.params.scheduleId ?? '');
    return schedule ? { status: 200, body: schedule } : scheduleNotFound(request);
  }

  /** Cancelling twice answers the cancelled schedule again: DELETE is idempotent by nature. */
  function cancelSchedule(request: RouteRequest): JsonReply {
    const schedule = schedules.get(request.params.scheduleId ?? '');
    if (!schedule) return scheduleNotFound(request);
    if (schedule.status === 'scheduled') {
      schedule.status = 'cancelled';
      recordSideEffect(sideEffects, 'cancelSchedule', schedule.scheduleId, request);
    }
    return { status: 200, body: schedule };
  }

  const idempotency = createIdempotencyStore();
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/openapi.json',
      handle: () => ({ status: 200, body: kitchenApiDocument(baseUrl) }),
    },
    { method: 'GET', path: '/capacity', handle: getCapacity },
    {
      method: 'POST',
      path: '/schedules',
      handle: requireBearer(token, idempotent(idempotency, scheduleOrder)),
    },
    { method: 'GET', path: '/schedules/:scheduleId', handle: getSchedule },
    {
      method: 'DELETE',
      path: '/schedules/:scheduleId',
      handle: requireBearer(token, cancelSchedule),
    },
  ];
  const server = await startHttpServer(routeRequests(routes));
  baseUrl = server.baseUrl;
  return {
    baseUrl,
    token,
    requests: server.requests,
    schedules,
    sideEffects,
    setCapacity(value) {
      capacity = value;
    },
    close: server.close,
  };
}

function scheduleNotFound(request: RouteRequest): JsonReply {
  return problem(404, 'Schedule not found', `no schedule '${request.params.scheduleId}'`);
}
