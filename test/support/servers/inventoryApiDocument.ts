import {
  idempotencyKeyParameter,
  jsonRequestBody,
  jsonResponse,
  orderItemSchema,
  problemResponses,
  problemSchema,
} from './customerApiParts.js';

const secured = { security: [{ apiKey: [] }] };
const unauthorized = { '401': 'missing or wrong X-Api-Key' };

function pathParameter(name: string) {
  return { name, in: 'path', required: true, schema: { type: 'string' } };
}

/** The Inventory API's OpenAPI 3.0 document, its `servers` pointing at `baseUrl`. */
export function inventoryApiDocument(baseUrl: string): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Inventory API',
      version: '1.0.0',
      description: 'Stock levels and reservations',
    },
    servers: [{ url: baseUrl }],
    security: [{ apiKey: [] }],
    paths: {
      '/stock': {
        get: {
          operationId: 'listStock',
          ...secured,
          responses: {
            '200': jsonResponse('every stock item', 'StockList'),
            ...problemResponses(unauthorized),
          },
        },
      },
      '/stock/{sku}': {
        get: {
          operationId: 'getStockLevel',
          ...secured,
          parameters: [pathParameter('sku')],
          responses: {
            '200': jsonResponse('the stock item', 'StockLevel'),
            ...problemResponses({ ...unauthorized, '404': 'unknown sku' }),
          },
        },
      },
      '/stock/check': {
        post: {
          operationId: 'checkStock',
          summary: 'Whether every item of an order could be reserved now (no effect)',
          ...secured,
          requestBody: jsonRequestBody('ItemsRequest'),
          responses: {
            '200': jsonResponse('availability', 'StockCheck'),
            ...problemResponses({ '400': 'invalid request', ...unauthorized }),
          },
        },
      },
      '/reservations': {
        post: {
          operationId: 'reserveStock',
          summary: "Reserve all of an order's items, or none",
          ...secured,
          parameters: [idempotencyKeyParameter],
          requestBody: jsonRequestBody('ReservationRequest'),
          responses: {
            '201': jsonResponse('reserved', 'Reservation'),
            ...problemResponses({
              '400': 'invalid request',
              ...unauthorized,
              '409': 'insufficient stock (the problem lists the shortages)',
              '422': 'Idempotency-Key reused with another body',
            }),
          },
        },
      },
      '/reservations/{reservationId}': {
        get: {
          operationId: 'getReservation',
          ...secured,
          parameters: [pathParameter('reservationId')],
          responses: {
            '200': jsonResponse('the reservation', 'Reservation'),
            ...problemResponses({ ...unauthorized, '404': 'no such reservation' }),
          },
        },
        delete: {
          operationId: 'releaseReservation',
          summary: 'Give the reserved stock back (a compensation)',
          ...secured,
          parameters: [pathParameter('reservationId')],
          responses: {
            '200': jsonResponse('the released reservation', 'Reservation'),
            ...problemResponses({ ...unauthorized, '404': 'no such reservation' }),
          },
        },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
      schemas: {
        Problem: problemSchema,
        OrderItem: orderItemSchema,
        StockLevel: {
          type: 'object',
          required: ['sku', 'name', 'onHand', 'reserved', 'available'],
          properties: {
            sku: { type: 'string' },
            name: { type: 'string' },
            onHand: { type: 'integer' },
            reserved: { type: 'integer' },
            available: { type: 'integer' },
          },
        },
        StockList: {
          type: 'object',
          properties: {
            items: { type: 'array', items: { $ref: '#/components/schemas/StockLevel' } },
          },
        },
        ItemsRequest: {
          type: 'object',
          required: ['items'],
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              items: { $ref: '#/components/schemas/OrderItem' },
            },
          },
        },
        Shortage: {
          type: 'object',
          properties: {
            sku: { type: 'string' },
            requested: { type: 'integer' },
            available: { type: 'integer' },
          },
        },
        StockCheck: {
          type: 'object',
          required: ['available', 'shortages'],
          properties: {
            available: { type: 'boolean' },
            shortages: { type: 'array', items: { $ref: '#/components/schemas/Shortage' } },
          },
        },
        ReservationRequest: {
          type: 'object',
          required: ['orderId', 'items'],
          properties: {
            orderId: { type: 'string' },
            items: {
              type: 'array',
              minItems: 1,
              items: { $ref: '#/components/schemas/OrderItem' },
            },
          },
        },
        Reservation: {
          type: 'object',
          required: ['reservationId', 'orderId', 'items', 'status'],
          properties: {
            reservationId: { type: 'string' },
            orderId: { type: 'string' },
            items: { type: 'array', items: { $ref: '#/components/schemas/OrderItem' } },
            status: { type: 'string', enum: ['reserved', 'released'] },
          },
        },
      },
    },
  };
}
