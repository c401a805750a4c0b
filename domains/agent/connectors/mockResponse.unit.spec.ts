import { describe, expect, it } from 'vitest';
import type { StoredResponse } from './extractOperations.js';
import { mockResponseOf } from './mockResponse.js';

const order = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', example: 'ord-1' },
    total: { type: 'number', minimum: 5 },
    password: { type: 'string', writeOnly: true },
  },
};

describe('mockResponseOf', () => {
  it('answers the first success response’s example, with its status', () => {
    const responses: StoredResponse[] = [
      { status: '404', examples: [] },
      { status: '201', schema: order, examples: [{ id: 'created' }, { id: 'second' }] },
      { status: '200', schema: order, examples: [{ id: 'listed' }] },
    ];
    expect(mockResponseOf(responses)).toEqual({ status: 200, body: { id: 'listed' } });
  });

  it('samples the schema when the document gives no example, without writeOnly fields', () => {
    const responses: StoredResponse[] = [{ status: '201', schema: order, examples: [] }];
    expect(mockResponseOf(responses)).toEqual({ status: 201, body: { id: 'ord-1', total: 5 } });
  });

  it('follows the $refs a recursive schema kept, through the document, to a bounded depth', () => {
    const document = {
      components: {
        schemas: {
          Node: {
            type: 'object',
            properties: {
              name: { type: 'string', example: 'root' },
              children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            },
          },
        },
      },
    };
    const responses: StoredResponse[] = [
      { status: '200', schema: { $ref: '#/components/schemas/Node' }, examples: [] },
    ];
    const body = mockResponseOf(responses, document).body as { name: string; children: unknown[] };
    expect(body.name).toBe('root');
    expect(Array.isArray(body.children)).toBe(true);
  });

  it('takes exact codes before a 2XX range, and `default` when no 2xx is documented', () => {
    expect(
      mockResponseOf([
        { status: '2XX', examples: ['range'] },
        { status: '202', examples: ['exact'] },
      ]),
    ).toEqual({ status: 202, body: 'exact' });
    expect(mockResponseOf([{ status: 'default', examples: [{ ok: true }] }])).toEqual({
      status: 200,
      body: { ok: true },
    });
  });

  it('answers null for a response without content, and for an operation with no success', () => {
    expect(mockResponseOf([{ status: '204', examples: [] }])).toEqual({ status: 204, body: null });
    expect(mockResponseOf([{ status: '500', examples: [] }])).toEqual({ status: 200, body: null });
  });

  it('answers null where the schema points outside the document', () => {
    const responses: StoredResponse[] = [
      { status: '200', schema: { $ref: 'https://elsewhere.example/schema.json' }, examples: [] },
    ];
    expect(mockResponseOf(responses, {})).toEqual({ status: 200, body: null });
  });
});
