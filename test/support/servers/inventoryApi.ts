import { asObject, readOrderItems, recordSideEffect } from './customerApiParts.js';
import type { OrderItem, SideEffect } from './customerApiParts.js';
import { startHttpServer } from './httpServer.js';
import type { RecordedRequest } from './httpServer.js';
import { createIdempotencyStore, idempotent } from './idempotency.js';
import { inventoryApiDocument } from './inventoryApiDocument.js';
import { problem, requireApiKey, routeRequests } from './jsonRoutes.js';
import type { JsonReply, Route, RouteHandler, RouteRequest } from './jsonRoutes.js';

export interface StockItem {
  sku: string;
  name: string;
  onHand: number;
  /** Held by open reservations; `onHand - reserved` is what can still be reserved. */
  reserved: number;
}

export interface Reservation {
  reservationId: string;
  orderId: string;
  items: OrderItem[];
  status: 'reserved' | 'released';
}

export interface StockSeed {
  sku: string;
  name: string;
  onHand: number;
}

export interface InventoryApiOptions {
  /** Initial stock; default `defaultStock`. */
  stock?: readonly StockSeed[];
  /** The `X-Api-Key` every operation but the OpenAPI document requires; default 'inventory-key'. */
  apiKey?: string;
}

/** The customer's Inventory API stand-in: stock levels, availability checks, reservations. */
export interface InventoryApi {
  baseUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  stock: Map<string, StockItem>;
  reservations: Map<string, Reservation>;
  /** Reservations made or released, one entry each; replays under an Idempotency-Key add none. */
  sideEffects: SideEffect[];
  close(): Promise<void>;
}

/** A burger restaurant's stock. */
export const defaultStock: readonly StockSeed[] = [
  { sku: 'bun', name: 'Brioche bun', onHand: 40 },
  { sku: 'patty', name: 'Beef patty', onHand: 30 },
  { sku: 'cheddar', name: 'Cheddar slice', onHand: 50 },
  { sku: 'lettuce', name: 'Lettuce leaf', onHand: 20 },
  { sku: 'fries', name: 'Fries portion', onHand: 60 },
  { sku: 'cola', name: 'Cola 33cl', onHand: 48 },
];

/** Starts the Inventory API; reservations are all-or-nothing across an order's items. */
export async function startInventoryApi(options: InventoryApiOptions = {}): Promise<InventoryApi> {
  const apiKey = options.apiKey ?? 'inventory-key';
  const stock = new Map<string, StockItem>(
    (options.stock ?? defaultStock).map((s) => [s.sku, { ...s, reserved: 0 }]),
  );
  const reservations = new Map<string, Reservation>();
  const sideEffects: SideEffect[] = [];
  let baseUrl = '';

  const availableOf = (sku: string) => {
    const item = stock.get(sku);
    return item ? item.onHand - item.reserved : 0;
  };
  const level = (item: StockItem) => ({ ...item, available: item.onHand - item.reserved });
  /** Lines naming the same sku are added up, so two lines cannot each take the last unit. */
  const shortagesOf = (items: OrderItem[]) => {
    const requested = new Map<string, number>();
    for (const i of items) requested.set(i.sku, (requested.get(i.sku) ?? 0) + i.quantity);
    return [...requested]
      .map(([sku, quantity]) => ({ sku, requested: quantity, available: availableOf(sku) }))
      .filter((line) => line.available < line.requested);
  };

  function getStockLevel(request: RouteRequest): JsonReply {
    const item = stock.get(request.params.sku ?? '');
    if (!item) return problem(404, 'Unknown item', `no stock item '${request.params.sku}'`);
    return { status: 200, body: level(item) };
  }

  /** Answers whether every line could be reserved now; an unknown sku counts as none in stock. */
  function checkStock(request: RouteRequest): JsonReply {
    const items = readOrderItems(asObject(request.body)?.items);
    if (typeof items === 'string') return problem(400, 'Invalid stock check', items);
    const shortages = shortagesOf(items);
    return { status: 200, body: { available: shortages.length === 0, shortages } };
  }

  function reserveStock(request: RouteRequest): JsonReply {
    const body = asObject(request.body);
    const orderId = body?.orderId;
    if (typeof orderId !== 'string' || orderId === '') {
      return problem(400, 'Invalid reservation', "'orderId' must be a non-empty string");
    }
    const items = readOrderItems(body?.items);
    if (typeof items === 'string') return problem(400, 'Invalid reservation', items);
    const shortages = shortagesOf(items);
    if (shortages.length > 0) {
      return problem(409, 'Insufficient stock', 'some items cannot be reserved', {
        type: 'https://inventory.example/problems/insufficient-stock',
        shortages,
      });
    }
    for (const item of items) (stock.get(item.sku) as StockItem).reserved += item.quantity;
    const reservationId = `res-${reservations.size + 1}`;
    const reservation: Reservation = { reservationId, orderId, items, status: 'reserved' };
    reservations.set(reservationId, reservation);
    recordSideEffect(sideEffects, 'reserveStock', reservationId, request);
    const location = `${baseUrl}/reservations/${reservationId}`;
    return { status: 201, body: reservation, headers: { location } };
  }

  function getReservation(request: RouteRequest): JsonReply {
    const reservation = reservations.get(request.params.reservationId ?? '');
    return reservation ? { status: 200, body: reservation } : reservationNotFound(request);
  }

  /** Releasing twice answers the released reservation again, returning its stock only once. */
  function releaseReservation(request: RouteRequest): JsonReply {
    const reservation = reservations.get(request.params.reservationId ?? '');
    if (!reservation) return reservationNotFound(request);
    if (reservation.status === 'reserved') {
      for (const item of reservation.items) {
        (stock.get(item.sku) as StockItem).reserved -= item.quantity;
      }
      reservation.status = 'released';
      recordSideEffect(sideEffects, 'releaseReservation', reservation.reservationId, request);
    }
    return { status: 200, body: reservation };
  }

  const keyed = (handle: RouteHandler) => requireApiKey('x-api-key', apiKey, handle);
  const idempotency = createIdempotencyStore();
  const listStock = () => ({ status: 200, body: { items: [...stock.values()].map(level) } });
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/openapi.json',
      handle: () => ({ status: 200, body: inventoryApiDocument(baseUrl) }),
    },
    { method: 'GET', path: '/stock', handle: keyed(listStock) },
    { method: 'GET', path: '/stock/:sku', handle: keyed(getStockLevel) },
    { method: 'POST', path: '/stock/check', handle: keyed(checkStock) },
    { method: 'POST', path: '/reservations', handle: keyed(idempotent(idempotency, reserveStock)) },
    { method: 'GET', path: '/reservations/:reservationId', handle: keyed(getReservation) },
    { method: 'DELETE', path: '/reservations/:reservationId', handle: keyed(releaseReservation) },
  ];
  const server = await startHttpServer(routeRequests(routes));
  baseUrl = server.baseUrl;
  return {
    baseUrl,
    apiKey,
    requests: server.requests,
    stock,
    reservations,
    sideEffects,
    close: server.close,
  };
}

function reservationNotFound(request: RouteRequest): JsonReply {
  return problem(404, 'Reservation not found', `no reservation '${request.params.reservationId}'`);
}
