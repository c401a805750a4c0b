import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { pointerOf } from '../problems.js';
import { expressionSitesOf, isJqVariableName } from './expressionSites.js';
import { semanticInputOf } from './semanticInput.js';

const header =
  "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0', title: '${ .x }'}\n";

function sites(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return Object.fromEntries(
    expressionSitesOf(semanticInputOf(parsed.document)).map((site) => [
      pointerOf(site.path),
      {
        expression: site.expression,
        variables: site.variables.join(','),
        inputFrom: site.inputFrom,
      },
    ]),
  );
}

describe('expressionSitesOf', () => {
  it('takes ${ } strings anywhere but the header, metadata and inline schemas', () => {
    expect(
      sites(`do:
  - a:
      metadata: {note: '\${ not evaluated }'}
      input: {schema: {format: json, document: {default: '\${ nor this }'}}}
      set: {x: '\${ .x }', y: 'plain', z: ['\${ .z | length }'], w: 'Hello \${ .name }'}
`),
    ).toEqual({
      '/do/0/a/set/x': { expression: ' .x ', variables: '', inputFrom: false },
      '/do/0/a/set/z/0': { expression: ' .z | length ', variables: '', inputFrom: false },
    });
  });

  it('takes the fields that are expressions by definition even without ${ }', () => {
    const found = sites(`input: {from: .order}
output: {as: .result}
use:
  retries:
    r: {when: .retryable}
  extensions:
    - e: {extend: call, when: '$task.call == "http"'}
do:
  - a:
      if: .enabled
      input: {from: .user}
      output: {as: '.[0]'}
      export: {as: '$context + .'}
      for: {in: .items}
      while: .more
      do:
        - s:
            switch:
              - red: {when: '.color == "red"', then: exit}
  - t:
      try: [{b: {set: {x: 1}}}]
      catch: {when: .retry, exceptWhen: .fatal, retry: {when: .transient}}
  - l:
      listen:
        to:
          any:
            - with: {type: t}
              correlate: {id: {from: .id}}
          until: .done
      foreach: {output: {as: .item}}
  - plain: {set: {as: '.not'}, then: end}
`);
    expect(Object.keys(found).sort()).toEqual(
      [
        '/input/from',
        '/output/as',
        '/use/retries/r/when',
        '/use/extensions/0/e/when',
        '/do/0/a/if',
        '/do/0/a/input/from',
        '/do/0/a/output/as',
        '/do/0/a/export/as',
        '/do/0/a/for/in',
        '/do/0/a/while',
        '/do/0/a/do/0/s/switch/0/red/when',
        '/do/1/t/catch/when',
        '/do/1/t/catch/exceptWhen',
        '/do/1/t/catch/retry/when',
        '/do/2/l/listen/to/any/0/correlate/id/from',
        '/do/2/l/listen/to/until',
        '/do/2/l/foreach/output/as',
      ].sort(),
    );
    expect(found['/input/from']).toEqual({ expression: '.order', variables: '', inputFrom: true });
    expect(found['/do/0/a/input/from']?.inputFrom).toBe(true);
  });

  it('binds for, catch and iterator variables where they are in scope', () => {
    const found = sites(`do:
  - loop:
      for: {each: pet, in: '\${ .pets }'}
      while: '\${ $pet != null }'
      do:
        - inner: {set: {x: '\${ $pet.id + $index }'}}
  - defaults:
      for: {in: .xs}
      do: [{d: {set: {x: '\${ $item }'}}}]
  - guard:
      try: [{b: {set: {x: '\${ 1 }'}}}]
      catch:
        as: err
        when: '\${ $err.status == 503 }'
        do: [{c: {set: {x: '\${ $err }'}}}]
  - wait:
      listen: {to: {one: {with: {type: t}}}}
      foreach:
        item: event
        do: [{e: {set: {x: '\${ $event }'}}}]
  - subscribe:
      call: asyncapi
      with:
        document: {endpoint: 'https://x.com/a.json'}
        operation: op
        subscription:
          consume: {amount: 1}
          foreach: {at: i, do: [{f: {set: {x: '\${ $item + $i }'}}}]}
`);
    const variables = (pointer: string) => found[pointer]?.variables;
    expect(variables('/do/0/loop/for/in')).toBe('');
    expect(variables('/do/0/loop/while')).toBe('index,pet');
    expect(variables('/do/0/loop/do/0/inner/set/x')).toBe('index,pet');
    expect(variables('/do/1/defaults/do/0/d/set/x')).toBe('index,item');
    expect(variables('/do/2/guard/try/0/b/set/x')).toBe('');
    expect(variables('/do/2/guard/catch/when')).toBe('err');
    expect(variables('/do/2/guard/catch/do/0/c/set/x')).toBe('err');
    expect(variables('/do/3/wait/foreach/do/0/e/set/x')).toBe('event,index');
    expect(variables('/do/4/subscribe/with/subscription/foreach/do/0/f/set/x')).toBe('i,item');
  });

  it('binds the default error name in reusable retry policies', () => {
    const found = sites(`use:
  retries:
    r: {when: '$error.status == 503', delay: {seconds: 1}}
do:
  - a: {set: {x: 1}}
`);
    expect(found['/use/retries/r/when']).toEqual({
      expression: '$error.status == 503',
      variables: 'error',
      inputFrom: false,
    });
  });

  it('does not bind names jq cannot take as variables', () => {
    expect(isJqVariableName('pet_1')).toBe(true);
    expect(isJqVariableName('my-pet')).toBe(false);
    expect(isJqVariableName('__loc__')).toBe(false);
    const found = sites(`do:
  - loop:
      for: {each: my-pet, in: .pets}
      do: [{a: {set: {x: '\${ 1 }'}}}]
`);
    expect(found['/do/0/loop/do/0/a/set/x']?.variables).toBe('index');
  });
});
