import { dump } from 'js-yaml';

/**
 * A large but realistic workflow for the DSL benchmark: `tasks` tasks in groups of ten, each
 * group a try around HTTP and OpenAPI calls, a switch, a for loop and set/wait tasks, with a
 * runtime expression in most tasks (distinct per group, as an agent would write them; `variant`
 * changes every expression).
 */
export function generatedWorkflow(tasks: number, variant = 0): string {
  const top: Array<Record<string, unknown>> = [];
  let count = 0;
  for (let group = 0; count < tasks; group++) {
    const g = `g${group}`;
    // Constants differ per variant, so a new variant's expressions are new to every cache.
    const k = group + variant * 1000;
    const body: Array<Record<string, unknown>> = [
      {
        [`${g}Fetch`]: {
          call: 'http',
          with: {
            method: 'get',
            endpoint: { uri: `https://api.example.com/orders/{orderId}/lines?page=${group}` },
          },
          output: { as: `\${ .lines | map(select(.qty > ${k})) }` },
        },
      },
      {
        [`${g}Stock`]: {
          call: 'openapi',
          with: {
            document: { endpoint: 'https://api.example.com/openapi.json' },
            operationId: 'checkStock',
            parameters: { sku: `\${ .lines[0].sku }` },
          },
        },
      },
      {
        [`${g}Decide`]: {
          switch: [
            { enough: { when: `\${ .available >= ${k} }`, then: `${g}Each` } },
            { short: { then: `${g}Wait` } },
          ],
        },
      },
      { [`${g}Wait`]: { wait: { seconds: 5 } } },
      {
        [`${g}Each`]: {
          for: { each: 'line', in: '${ .lines }', at: 'i' },
          do: [{ [`${g}Mark`]: { set: { marked: `\${ $line.sku + "-" + ($i | tostring) }` } } }],
        },
      },
      { [`${g}Total`]: { set: { total: `\${ [.lines[].price] | add + ${k} }` } } },
      {
        [`${g}Notify`]: {
          if: `\${ .total > ${k * 10} }`,
          emit: { event: { with: { source: 'https://awp.example.com', type: 'order.checked' } } },
        },
      },
      { [`${g}Pause`]: { wait: 'PT1S' } },
    ];
    count += body.length + 2;
    top.push({
      [`${g}Guard`]: {
        try: body,
        catch: {
          errors: { with: { status: 503 } },
          as: 'failure',
          retry: { delay: { seconds: 1 }, limit: { attempt: { count: 3 } } },
        },
      },
    });
  }
  return dump({
    document: { dsl: '1.0.0', namespace: 'bench', name: 'generated', version: '1.0.0' },
    do: top,
  });
}
