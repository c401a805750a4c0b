import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { semanticInputOf } from './semanticInput.js';
import { checkUriTemplates, redactUserinfo, uriTemplateProblems } from './uriTemplates.js';

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

describe('redactUserinfo', () => {
  it.each([
    ['https://user:hunter2@example.com/x', 'https://***@example.com/x'],
    ['https://user:p@ss@host.io/x', 'https://***@host.io/x'],
    ['amqp://guest@broker:5672', 'amqp://***@broker:5672'],
    ['https://u:p@h?x=1', 'https://***@h?x=1'],
    ['https://{user}:{password}@h/{id}', 'https://***@h/{id}'],
    ['user:pw@host/x', '***@host/x'],
    ['https://h/x?e=a@b', 'https://h/x?e=a@b'],
    ['https://h/u/@me', 'https://h/u/@me'],
    ['https://h#f@g', 'https://h#f@g'],
  ])('%s is quoted as %s', (uri, redacted) => {
    expect(redactUserinfo(uri)).toBe(redacted);
  });
});

describe('checkUriTemplates on large endpoints', () => {
  it('reports a mistake repeated 16,000 times once, without the password, in a short message', () => {
    // Issue: one warning per `{+a}`, each quoting the whole URI and its password (1 GB).
    const uri = `https://user:hunter2@example.com/${'{+a}'.repeat(16_000)}{b c}`;
    const problems = check(`do:
  - get: {call: http, with: {method: get, endpoint: '${uri}'}}
`);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['uri-template-invalid', '/do/0/get/with/endpoint'],
      ['uri-template-unsupported', '/do/0/get/with/endpoint'],
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      `endpoint 'https://***@example.com/{+a}{+a}{+a}{+a}{+a}{+a}{+a}{+a}{...': {b c} at character 64034: 'b c' is not a variable name (letters, digits, _ and %XX, with single dots between, optionally followed by * or :length)`,
      `endpoint 'https://***@example.com/{+a}{+a}{+a}{+a}{+a}{+a}{+a}{+a}{...': {+a} at character 34 uses the '+' operator, but the spec supports only simple string expansion ({name}); a runtime may leave it unexpanded (and 15999 more warnings here)`,
    ]);
  });

  it('cuts a long expression or variable in a message', () => {
    const body = 'x y'.repeat(10_000);
    const [problem] = uriTemplateProblems(`https://x.com/{${body}}`);
    expect(problem?.message.length).toBeLessThan(250);
    expect(problem?.message).toContain(`{${body.slice(0, 37)}...} at character 15`);
  });
});
