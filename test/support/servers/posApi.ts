import { asObject, readOrderItems, recordSideEffect } from './customerApiParts.js';
import type { OrderItem, SideEffect } from './customerApiParts.js';
import { startHttpServer } from './httpServer.js';
import type { RecordedRequest } from './httpServer.js';
import { createIdempotencyStore, idempotent } from './idempotency.js';
import { problem, requireBearer, routeRequests } from './jsonRoutes.js';
import type { JsonReply, Route, RouteRequest } from './jsonRoutes.js';
import { posApiDocument } from './posApiDocument.js';

export const orderStatuses = [
  'received',
  'accepted',
  'rejected',
  'preparing',
  'ready',
  'completed',
  'cancelled',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** Where an order may go from each status; rejected, completed and cancelled are final. */
const nextStatuses: Record<OrderStatus, readonly OrderStatus[]> = {
  received: ['accepted', 'rejected', 'cancelled'],
  accepted: ['preparing', 'cancelled'],
  preparing: ['ready'],
  ready: ['completed'],
  rejected: [],
  completed: [],
  cancelled: [],
};

export interface PosOrder {
  orderId: string;
  status: OrderStatus;
  customer: { name: string };
  items: OrderItem[];
  createdAt: string;
  updatedAt: string;
  history: { status: OrderStatus; at: string; reason?: string }[];
}

export interface PosApiOptions {
  /** The bearer token every operation but the OpenAPI document requires; default 'pos-token'. */
  token?: string;
  now?: () => Date;
}

/** The customer's Point of Sale API stand-in: orders and their status. */
export interface PosApi {
  baseUrl: string;
  token: string;
  requests: RecordedRequest[];
  orders: Map<string, PosOrder>;
  /** Orders created or changed, one entry each; replays under an Idempotency-Key add none. */
  sideEffects: SideEffect[];
  close(): Promise<void>;
}

/** Starts the POS API. The status is set with PUT, so repeating a status change is a no-op. */
export async function startPosApi(options: PosApiOptions = {}): Promise<PosApi> {
  const token = options.token ?? 'pos-token';
  const now = options.now ?? (() => new Date());
  const orders = new Map<string, PosOrder>();
  const sideEffects: SideEffect[] = [];
  let baseUrl = '';

  function createOrder(request: RouteRequest): JsonReply {
    const body = asObject(request.body);
    const customer = asObject(body?.customer);
    if (typeof customer?.name !== 'string' || customer.name === '') {
      return problem(400, 'Invalid order', "'customer.name' must be a non-empty string");
    }
    const items = readOrderItems(body?.items);
    if (typeof items === 'string') return problem(400, 'Invalid order', items);
    const at = now().toISOString();
    const orderId = `ord-${orders.size + 1}`;
    const order: PosOrder = {
      orderId,
      status: 'received',
      customer: { name: customer.name },
      items,
      createdAt: at,
      updatedAt: at,
      history: [{ status: 'received', at }],
    };
    orders.set(orderId, order);
    recordSideEffect(sideEffects, 'createOrder', orderId, request);
    return { status: 201, body: order, headers: { location: `${baseUrl}/orders/${orderId}` } };
  }

  function listOrders(request: RouteRequest): JsonReply {
    const { status } = request.query;
    const all = [...orders.values()];
    const body = status === undefined ? all : all.filter((o) => [status].flat().includes(o.status));
    return { status: 200, body };
  }

  function getOrder(request: RouteRequest): JsonReply {
    const order = orders.get(request.params.orderId ?? '');
    return order ? { status: 200, body: order } : orderNotFound(request);
  }

  function updateOrderStatus(request: RouteRequest): JsonReply {
    const order = orders.get(request.params.orderId ?? '');
    if (!order) return orderNotFound(request);
    const body = asObject(request.body);
    const status = body?.status as OrderStatus;
    if (!orderStatuses.includes(status)) {
      return problem(400, 'Invalid status', `'status' must be one of ${orderStatuses.join(', ')}`);
    }
    if (status === order.status) return { status: 200, body: order };
    if (!nextStatuses[order.status].includes(status)) {
      return problem(409, 'Illegal status change', `order is ${order.status}, cannot be ${status}`);
    }
    const at = now().toISOString();
    const reason = typeof body?.reason === 'string' ? body.reason : undefined;
    order.status = status;
    order.updatedAt = at;
    order.history.push({ status, at, ...(reason ? { reason } : {}) });
    recordSideEffect(sideEffects, 'updateOrderStatus', order.orderId, request);
    return { status: 200, body: order };
  }

  const idempotency = createIdempotencyStore();
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/openapi.json',
      handle: () => ({ status: 200, body: posApiDocument(baseUrl) }),
    },
    {
      method: 'POST',
      path: '/orders',
      handle: requireBearer(token, idempotent(idempotency, createOrder)),
    },
    { method: 'GET', path: '/orders', handle: requireBearer(token, listOrders) },
    { method: 'GET', path: '/orders/:orderId', handle: requireBearer(token, getOrder) },
    {
      method: 'PUT',
      path: '/orders/:orderId/status',
      handle: requireBearer(token, updateOrderStatus),
    },
  ];
  const server = await startHttpServer(routeRequests(routes));
  baseUrl = server.baseUrl;
  return { baseUrl, token, requests: server.requests, orders, sideEffects, close: server.close };
}

function orderNotFound(request: RouteRequest): JsonReply {
  return problem(404, 'Order not found', `no order '${request.params.orderId}'`);
}
