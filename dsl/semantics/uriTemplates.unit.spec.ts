import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { semanticInputOf } from './semanticInput.js';
import { checkUriTemplates, uriTemplateProblems } from './uriTemplates.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkUriTemplates(semanticInputOf(parsed.document));
}

describe('uriTemplateProblems', () => {
  it.each([
    'https://petstore.swagger.io/v2/pet/{petId}',
    'https://x.com/{pet.id}/{a_b,c}/{name:3}/{list*}/{%20x}',
    'https://x.com/no/variables',
  ])('accepts %s', (template) => {
    expect(uriTemplateProblems(template)).toEqual([]);
  });

  it.each([
    ['https://x.com/{id', "the '{' at character 15 is never closed"],
    ['https://x.com/id}', "the '}' at character 17 closes no '{'"],
    ['https://x.com/{}', '{} at character 15 is empty'],
    [
      'https://x.com/{a{b}',
      "the '{' at character 17 opens inside the expression started at character 15",
    ],
    ['https://x.com/{pet id}', "{pet id} at character 15: 'pet id' is not a variable name"],
    ['https://x.com/{a..b}', "'a..b' is not a variable name"],
    ['https://x.com/{=x}', "starts with '=', an operator RFC 6570 reserves"],
    ['https://x.com/{x:0}', "'x:0' is not a variable name"],
  ])('rejects %s', (template, message) => {
    const problems = uriTemplateProblems(template);
    expect(problems.map((p) => p.severity)).toContain('error');
    expect(problems.map((p) => p.message).join('\n')).toContain(message);
  });

  it('explains that ${ } inside a URI is not an expression', () => {
    expect(uriTemplateProblems('https://x.com/pets/${ .id }')).toEqual([
      {
        severity: 'error',
        message: `'\${ .id }' at character 20 is not evaluated inside a URI; make the whole value an expression instead, such as \${ "https://example.com/pets/" + (.id | tostring) }`,
      },
    ]);
  });

  it('warns about operators, which the spec does not support', () => {
    expect(uriTemplateProblems('https://x.com/pets{?status}')).toEqual([
      {
        severity: 'warning',
        message:
          "{?status} at character 19 uses the '?' operator, but the spec supports only simple string expansion ({name}); a runtime may leave it unexpanded",
      },
    ]);
  });
});

describe('checkUriTemplates', () => {
  it('checks string endpoints and endpoint URIs, but not runtime expressions', () => {
    const problems = check(`do:
  - a: {call: http, with: {method: get, endpoint: 'https://x.com/{id'}}
  - b: {call: http, with: {method: get, endpoint: {uri: 'https://x.com/{a b}'}}}
  - c: {call: http, with: {method: get, endpoint: '\${ "https://x.com/{" + .id }'}}
  - d:
      call: openapi
      with: {document: {endpoint: 'https://x.com/{?v}/openapi.json'}, operationId: op}
`);
    expect(
      problems.map(({ code, severity, line, column, path }) => ({
        code,
        severity,
        line,
        column,
        path,
      })),
    ).toEqual([
      {
        code: 'uri-template-invalid',
        severity: 'error',
        line: 3,
        column: 51,
        path: '/do/0/a/with/endpoint',
      },
      {
        code: 'uri-template-invalid',
        severity: 'error',
        line: 4,
        column: 57,
        path: '/do/1/b/with/endpoint/uri',
      },
      {
        code: 'uri-template-unsupported',
        severity: 'warning',
        line: 8,
        column: 35,
        path: '/do/3/d/with/document/endpoint',
      },
    ]);
    expect(problems[0]?.message).toBe(
      "endpoint 'https://x.com/{id': the '{' at character 15 is never closed",
    );
  });
});
