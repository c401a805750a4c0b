import type { RouteRequest } from './jsonRoutes.js';

/** A line of an order: how many of which stock-keeping unit. */
export interface OrderItem {
  sku: string;
  quantity: number;
}

/** A state change a customer API made; an idempotent replay records none. */
export interface SideEffect {
  operationId: string;
  resourceId: string;
  idempotencyKey?: string;
}

export function recordSideEffect(
  effects: SideEffect[],
  operationId: string,
  resourceId: string,
  request: RouteRequest,
): void {
  const key = request.headers['idempotency-key'];
  effects.push({
    operationId,
    resourceId,
    ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
  });
}

/** The items of a request body, or the sentence that says why they are not valid. */
export function readOrderItems(value: unknown): OrderItem[] | string {
  if (!Array.isArray(value) || value.length === 0) return "'items' must be a non-empty array";
  const items: OrderItem[] = [];
  for (const [index, item] of value.entries()) {
    const { sku, quantity } = (item ?? {}) as Partial<OrderItem>;
    if (typeof sku !== 'string' || sku === '') return `'items[${index}].sku' must be a string`;
    if (!Number.isInteger(quantity) || (quantity as number) < 1) {
      return `'items[${index}].quantity' must be a positive integer`;
    }
    items.push({ sku, quantity: quantity as number });
  }
  return items;
}

/** `value` as a JSON object, or undefined when it is not one. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

// OpenAPI 3.0 fragments the three customer API documents share.

export const orderItemSchema = {
  type: 'object',
  required: ['sku', 'quantity'],
  properties: {
    sku: { type: 'string', example: 'patty' },
    quantity: { type: 'integer', minimum: 1, example: 2 },
  },
};

export const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
  },
};

/** Error responses referring to `#/components/schemas/Problem`, by status. */
export function problemResponses(statuses: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(statuses).map(([status, description]) => [
      status,
      {
        description,
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      },
    ]),
  );
}

/** A JSON response whose schema is `#/components/schemas/<name>`. */
export function jsonResponse(description: string, schemaName: string): Record<string, unknown> {
  return {
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
  };
}

/** A required JSON request body whose schema is `#/components/schemas/<name>`. */
export function jsonRequestBody(schemaName: string): Record<string, unknown> {
  return {
    required: true,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
  };
}

/** The optional `Idempotency-Key` header parameter of every POST. */
export const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Repeating a request with the same key returns the first response, once-only effect',
  schema: { type: 'string' },
};
