import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { checkHttpMethods } from './httpMethods.js';
import { semanticInputOf } from './semanticInput.js';

function problemsIn(method: string) {
  const parsed = parseWorkflowText(`document: {dsl: 1.0.0, namespace: ns, name: wf, version: 1.0.0}
do:
  - fetchOrder:
      call: http
      with:
        method: ${method}
        endpoint: https://orders.example.com/{id}
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkHttpMethods(semanticInputOf(parsed.document));
}

describe('HTTP methods', () => {
  it.each(['get', 'POST', 'Patch', 'delete', 'options', '${ .method }'])('accepts %s', (method) => {
    expect(problemsIn(method)).toEqual([]);
  });

  it('refuses a method no server knows, at its value, suggesting the closest', () => {
    expect(problemsIn('gett')).toEqual([
      {
        severity: 'error',
        code: 'http-method-invalid',
        message:
          "task 'fetchOrder': 'gett' is not an HTTP method (did you mean 'get'?); use one of get, head, post, put, delete, connect, options, trace, patch",
        path: '/do/0/fetchOrder/with/method',
        line: 6,
        column: 17,
      },
    ]);
  });
});
