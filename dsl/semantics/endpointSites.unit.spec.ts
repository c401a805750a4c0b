import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { pointerOf } from '../problems.js';
import { authenticationSitesOf, endpointSitesOf } from './endpointSites.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function inputOf(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return semanticInputOf(parsed.document);
}

describe('endpoint and authentication sites', () => {
  it('finds endpoints where the schema puts them for each call type, and nowhere else', () => {
    const input = inputOf(`use:
  catalogs: {c: {endpoint: 'https://c.io'}}
  authentications: {a: {bearer: {token: t}}}
do:
  - h: {call: http, with: {method: get, endpoint: 'https://h.io', body: {endpoint: 'not one'}}}
  - o: {call: openapi, with: {document: {endpoint: 'https://o.io'}, operationId: x, authentication: {use: a}}}
  - g: {call: grpc, with: {proto: {endpoint: 'https://g.io'}, service: {name: s, host: h, authentication: {use: a}}, method: m}}
  - a2: {call: a2a, with: {method: message/send, server: {uri: 'https://s.io', authentication: {use: a}}}}
  - m: {call: mcp, with: {method: tools/list, transport: {http: {endpoint: 'https://m.io'}}}}
  - s: {run: {script: {language: js, source: {endpoint: 'https://s.io/x.js'}}}, input: {schema: {format: json, resource: {endpoint: 'https://schema.io'}}}}
`);
    expect(endpointSitesOf(input).map((site) => pointerOf(site.path))).toEqual([
      '/use/catalogs/c/endpoint',
      '/do/0/h/with/endpoint',
      '/do/1/o/with/document/endpoint',
      '/do/2/g/with/proto/endpoint',
      '/do/3/a2/with/server',
      '/do/4/m/with/transport/http/endpoint',
      '/do/5/s/input/schema/resource/endpoint',
      '/do/5/s/run/script/source/endpoint',
    ]);
    expect(
      authenticationSitesOf(input).map((site) => [pointerOf(site.path), site.definition]),
    ).toEqual([
      ['/use/authentications/a', true],
      ['/do/3/a2/with/server/authentication', false],
      ['/do/1/o/with/authentication', false],
      ['/do/2/g/with/service/authentication', false],
    ]);
  });
});
