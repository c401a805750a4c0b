import {
  idempotencyKeyParameter,
  jsonRequestBody,
  jsonResponse,
  orderItemSchema,
  problemResponses,
  problemSchema,
} from './customerApiParts.js';

const statusSchema = {
  type: 'string',
  enum: ['received', 'accepted', 'rejected', 'preparing', 'ready', 'completed', 'cancelled'],
};
const orderIdParameter = {
  name: 'orderId',
  in: 'path',
  required: true,
  schema: { type: 'string' },
};
const unauthorized = { '401': 'missing or wrong bearer token' };

/** The POS API's OpenAPI 3.0 document, its `servers` pointing at `baseUrl`. */
export function posApiDocument(baseUrl: string): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'Point of Sale API', version: '1.0.0', description: 'Orders and their status' },
    servers: [{ url: baseUrl }],
    security: [{ bearerAuth: [] }],
    paths: {
      '/orders': {
        post: {
          operationId: 'createOrder',
          parameters: [idempotencyKeyParameter],
          requestBody: jsonRequestBody('OrderRequest'),
          responses: {
            '201': jsonResponse('the order, received', 'Order'),
            ...problemResponses({
              '400': 'invalid order',
              ...unauthorized,
              '422': 'Idempotency-Key reused with another body',
            }),
          },
        },
        get: {
          operationId: 'listOrders',
          parameters: [{ name: 'status', in: 'query', required: false, schema: statusSchema }],
          responses: {
            '200': {
              description: 'orders, oldest first',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } },
                },
              },
            },
            ...problemResponses(unauthorized),
          },
        },
      },
      '/orders/{orderId}': {
        get: {
          operationId: 'getOrder',
          parameters: [orderIdParameter],
          responses: {
            '200': jsonResponse('the order', 'Order'),
            ...problemResponses({ ...unauthorized, '404': 'no such order' }),
          },
        },
      },
      '/orders/{orderId}/status': {
        put: {
          operationId: 'updateOrderStatus',
          summary: 'Move an order on; setting its current status again changes nothing',
          parameters: [orderIdParameter],
          requestBody: jsonRequestBody('StatusChange'),
          responses: {
            '200': jsonResponse('the order', 'Order'),
            ...problemResponses({
              '400': 'unknown status',
              ...unauthorized,
              '404': 'no such order',
              '409': 'the order cannot go from its status to that one',
            }),
          },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: problemSchema,
        OrderItem: orderItemSchema,
        OrderStatus: statusSchema,
        OrderRequest: {
          type: 'object',
          required: ['customer', 'items'],
          properties: {
            customer: {
              type: 'object',
              required: ['name'],
              properties: { name: { type: 'string' } },
            },
            items: {
              type: 'array',
              minItems: 1,
              items: { $ref: '#/components/schemas/OrderItem' },
            },
          },
        },
        StatusChange: {
          type: 'object',
          required: ['status'],
          properties: {
            status: { $ref: '#/components/schemas/OrderStatus' },
            reason: { type: 'string' },
          },
        },
        Order: {
          type: 'object',
          required: ['orderId', 'status', 'customer', 'items', 'createdAt', 'updatedAt', 'history'],
          properties: {
            orderId: { type: 'string' },
            status: { $ref: '#/components/schemas/OrderStatus' },
            customer: { type: 'object', properties: { name: { type: 'string' } } },
            items: { type: 'array', items: { $ref: '#/components/schemas/OrderItem' } },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            history: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  status: { $ref: '#/components/schemas/OrderStatus' },
                  at: { type: 'string', format: 'date-time' },
                  reason: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  };
}
