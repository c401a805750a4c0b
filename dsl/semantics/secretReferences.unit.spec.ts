import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { expressionSitesOf } from './expressionSites.js';
import { checkSecretReferences, secretNamesIn } from './secretReferences.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const input = semanticInputOf(parsed.document);
  return checkSecretReferences(input, expressionSitesOf(input));
}

describe('secretNamesIn', () => {
  it('finds every literal way to pick a secret', () => {
    expect(
      secretNamesIn('$secrets.a + $secrets["b-c"] + $secrets.["d"] + $secrets."e" + $secrets?.f'),
    ).toEqual({ uses: true, names: ['a', 'b-c', 'd', 'e', 'f'] });
  });

  it('names none for dynamic access, and ignores look-alikes', () => {
    expect(secretNamesIn('$secrets[.name] | keys')).toEqual({ uses: true, names: [] });
    expect(secretNamesIn('$secretsOther.a + .secrets.b')).toEqual({ uses: false, names: [] });
  });
});

describe('checkSecretReferences', () => {
  it('accepts declared secrets read in input.from, of a task or of the workflow', () => {
    expect(
      check(`use:
  secrets: [apiKey, dbPassword]
input:
  from: '\${ {key: $secrets.apiKey} }'
do:
  - a:
      input: {from: '\${ . + {pw: $secrets["dbPassword"]} }'}
      set: {x: 1}
`),
    ).toEqual([]);
  });

  it('reports an undeclared secret at its expression, naming the declared ones', () => {
    const problems = check(`use:
  secrets: [apiKey]
do:
  - a:
      input: {from: '\${ $secrets.apikey }'}
      set: {x: 1}
`);
    expect(
      problems.map(({ code, severity, line, column }) => ({ code, severity, line, column })),
    ).toEqual([{ code: 'reference-unresolved', severity: 'error', line: 6, column: 21 }]);
    expect(problems[0]?.message).toBe(
      "secret 'apikey' is not defined in use.secrets (did you mean 'apiKey'?); defined: 'apiKey'",
    );
  });

  it('warns when $secrets is read outside input.from', () => {
    const problems = check(`use:
  secrets: [apiKey]
do:
  - a:
      call: http
      with:
        method: get
        endpoint: 'https://x.com'
        headers: {X-Key: '\${ $secrets.apiKey }'}
`);
    expect(
      problems.map(({ code, severity, line, path }) => ({ code, severity, line, path })),
    ).toEqual([
      {
        code: 'secret-outside-input-from',
        severity: 'warning',
        line: 10,
        path: '/do/0/a/with/headers/X-Key',
      },
    ]);
    expect(problems[0]?.message).toContain('the spec allows secrets only in input.from');
  });

  it('checks the secrets of secret-based authentication policies', () => {
    const problems = check(`use:
  secrets: [usernamePasswordSecret]
  authentications:
    ok: {basic: {use: usernamePasswordSecret}}
    bad: {oauth2: {use: clientSecret}}
do:
  - a:
      call: http
      with:
        method: get
        endpoint: {uri: 'https://x.com', authentication: {bearer: {use: tokenSecret}}}
`);
    expect(problems.map((p) => [p.path, p.line, p.column])).toEqual([
      ['/use/authentications/bad/oauth2/use', 6, 25],
      ['/do/0/a/with/endpoint/authentication/bearer/use', 12, 73],
    ]);
    expect(problems[0]?.message).toBe(
      "secret 'clientSecret' is not defined in use.secrets; defined: 'usernamePasswordSecret' (oauth2 authentication takes its credentials from it)",
    );
  });

  it('reports 5,000 undeclared secrets among 5,000 declared ones', () => {
    // Issue: every undeclared name searched all declared ones for a hint (53 s).
    const declared = Array.from({ length: 5_000 }, (_, i) => `key${i}`);
    const read = Array.from({ length: 5_000 }, (_, i) => `$secrets.kye${i}`).join(' + ');
    const input = semanticInputOf({
      value: { use: { secrets: declared }, input: { from: `\${ ${read} }` }, do: [] },
      positionOf: () => ({ line: 1, column: 1 }),
    });
    const problems = checkSecretReferences(input, expressionSitesOf(input));
    expect(problems).toHaveLength(5_000);
    expect(problems[0]?.message).toMatch(
      /^secret 'kye0' is not defined in use.secrets \(did you mean 'key0'\?\); defined: 'key0', /,
    );
  });
});

describe('secretNamesIn on long expressions', () => {
  it('finds 50,000 distinct names in one expression', () => {
    // Each name was looked up in the list of names found so far: quadratic in their number.
    const read = Array.from({ length: 50_000 }, (_, i) => `$secrets.s${i}`).join(' + ');
    const { uses, names } = secretNamesIn(read);
    expect(uses).toBe(true);
    expect(names).toHaveLength(50_000);
    expect(names.at(-1)).toBe('s49999');
  });
});
