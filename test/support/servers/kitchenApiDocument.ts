import {
  idempotencyKeyParameter,
  jsonRequestBody,
  jsonResponse,
  orderItemSchema,
  problemResponses,
  problemSchema,
} from './customerApiParts.js';

const scheduleIdParameter = {
  name: 'scheduleId',
  in: 'path',
  required: true,
  schema: { type: 'string' },
};

/** The Kitchen API's OpenAPI 3.0 document, its `servers` pointing at `baseUrl`. */
export function kitchenApiDocument(baseUrl: string): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Kitchen API',
      version: '1.0.0',
      description: 'Kitchen capacity and scheduling',
    },
    servers: [{ url: baseUrl }],
    paths: {
      '/capacity': {
        get: {
          operationId: 'getCapacity',
          summary: 'How many more orders the kitchen can take now',
          responses: { '200': jsonResponse('current capacity', 'Capacity') },
        },
      },
      '/schedules': {
        post: {
          operationId: 'scheduleOrder',
          summary: 'Schedule the preparation of an order',
          security: [{ bearerAuth: [] }],
          parameters: [idempotencyKeyParameter],
          requestBody: jsonRequestBody('ScheduleRequest'),
          responses: {
            '201': jsonResponse('scheduled', 'Schedule'),
            ...problemResponses({
              '400': 'invalid request',
              '401': 'missing or wrong bearer token',
              '409': 'kitchen at capacity',
              '422': 'Idempotency-Key reused with another body',
            }),
          },
        },
      },
      '/schedules/{scheduleId}': {
        get: {
          operationId: 'getSchedule',
          parameters: [scheduleIdParameter],
          responses: {
            '200': jsonResponse('the schedule', 'Schedule'),
            ...problemResponses({ '404': 'no such schedule' }),
          },
        },
        delete: {
          operationId: 'cancelSchedule',
          summary: 'Cancel a schedule, freeing its slot (a compensation)',
          security: [{ bearerAuth: [] }],
          parameters: [scheduleIdParameter],
          responses: {
            '200': jsonResponse('the cancelled schedule', 'Schedule'),
            ...problemResponses({
              '401': 'missing or wrong bearer token',
              '404': 'no such schedule',
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
        Capacity: {
          type: 'object',
          required: ['capacity', 'activeOrders', 'available', 'acceptingOrders'],
          properties: {
            capacity: { type: 'integer' },
            activeOrders: { type: 'integer' },
            available: { type: 'integer' },
            acceptingOrders: { type: 'boolean' },
          },
        },
        ScheduleRequest: {
          type: 'object',
          required: ['orderId', 'items'],
          properties: {
            orderId: { type: 'string' },
            items: {
              type: 'array',
              minItems: 1,
              items: { $ref: '#/components/schemas/OrderItem' },
            },
            notBefore: { type: 'string', format: 'date-time' },
          },
        },
        Schedule: {
          type: 'object',
          required: ['scheduleId', 'orderId', 'items', 'status', 'startAt', 'readyAt'],
          properties: {
            scheduleId: { type: 'string' },
            orderId: { type: 'string' },
            items: { type: 'array', items: { $ref: '#/components/schemas/OrderItem' } },
            status: { type: 'string', enum: ['scheduled', 'cancelled'] },
            startAt: { type: 'string', format: 'date-time' },
            readyAt: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
  };
}
