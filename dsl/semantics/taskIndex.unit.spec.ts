import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { pointerOf } from '../problems.js';
import { describeTask, indexTasks } from './taskIndex.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function index(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return indexTasks(parsed.document.value);
}

describe('indexTasks', () => {
  it('finds tasks in the flow, functions, extensions and iterator bodies, at their real paths', () => {
    const found = index(`use:
  functions:
    fetch:
      do:
        - inner: {set: {x: 1}}
  extensions:
    - log: {extend: all, before: [{note: {set: {x: 1}}}], after: [{done: {set: {x: 1}}}]}
do:
  - wait:
      listen: {to: {one: {with: {type: t}}}}
      foreach:
        do:
          - handle:
              listen: {to: {one: {with: {type: u}}}}
              foreach: {do: [{deeper: {set: {x: 1}}}]}
  - sub:
      call: asyncapi
      with:
        document: {endpoint: 'https://x.com/a.json'}
        operation: op
        subscription: {consume: {amount: 1}, foreach: {do: [{each: {set: {x: 1}}}]}}
`);
    expect(found.lists.map((list) => [list.role, pointerOf(list.path)])).toEqual([
      ['workflow', '/do'],
      ['function', '/use/functions'],
      ['do', '/use/functions/fetch/do'],
      ['extension', '/use/extensions/0/log/before'],
      ['extension', '/use/extensions/0/log/after'],
      ['foreach', '/do/0/wait/foreach/do'],
      ['foreach', '/do/1/sub/with/subscription/foreach/do'],
      ['foreach', '/do/0/wait/foreach/do/0/handle/foreach/do'],
    ]);
    expect([...found.taskAt.keys()]).toContain('/use/functions/fetch/do/0/inner');
    expect(found.lists[2]?.owner?.path).toEqual(['use', 'functions', 'fetch']);
    expect(found.lists[5]?.owner?.name).toBe('wait');
    const fetch = found.taskAt.get('/use/functions/fetch');
    expect(fetch && describeTask(fetch, found)).toBe("function 'fetch'");
  });

  it('is empty, not broken, for values that are not workflows', () => {
    for (const value of [
      null,
      42,
      'text',
      [],
      { do: 'x', use: { functions: 3, extensions: {} } },
    ]) {
      expect(indexTasks(value).tasks).toEqual([]);
    }
  });
});
