import { describe, expect, it } from 'vitest';
import { fuseRankings, maxSearchTextChars, operationSearchText } from './operationRetrieval.js';

const op = (operationId: string, connectorId = 'kitchen') => ({ connectorId, operationId });

describe('operationSearchText', () => {
  it('names the operation, its route, summary and description, one per line', () => {
    expect(
      operationSearchText({
        operationId: 'getOvenLoad',
        method: 'get',
        path: '/ovens/{ovenId}/load',
        summary: ' Current oven workload ',
        description: null,
      }),
    ).toBe('getOvenLoad: GET /ovens/{ovenId}/load\nCurrent oven workload');
  });

  it('bounds a long description', () => {
    const text = operationSearchText({
      operationId: 'x',
      method: 'post',
      path: '/x',
      description: 'word '.repeat(2_000),
    });
    expect(text.length).toBe(maxSearchTextChars);
  });
});

describe('fuseRankings', () => {
  it('puts first what both rankings place well', () => {
    const lexical = [op('a'), op('b'), op('c')];
    const semantic = [op('b'), op('d'), op('a')];
    expect(fuseRankings([lexical, semantic], 10).map((k) => k.operationId)).toEqual([
      'b',
      'a',
      'd',
      'c',
    ]);
  });

  it('keeps the first ranking’s order among equal scores, and the limit', () => {
    const fused = fuseRankings(
      [
        [op('a'), op('b')],
        [op('x'), op('y')],
      ],
      3,
    );
    expect(fused.map((k) => k.operationId)).toEqual(['a', 'x', 'b']);
  });

  it('tells the same operationId of two connectors apart', () => {
    const fused = fuseRankings([[op('list', 'one')], [op('list', 'two')]], 5);
    expect(fused).toEqual([op('list', 'one'), op('list', 'two')]);
  });

  it('returns one ranking unchanged', () => {
    const only = [op('c'), op('a'), op('b')];
    expect(fuseRankings([[], only], 10)).toEqual(only);
  });
});
