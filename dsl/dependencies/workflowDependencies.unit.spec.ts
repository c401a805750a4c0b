import { describe, expect, it } from 'vitest';
import { ctkScenarios } from '../../test/support/ctkFeatures.js';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { listDependencies } from './workflowDependencies.js';

function workflowOf(text: string): WorkflowDefinition {
  const parsed = parseWorkflowText(text);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.document.value as WorkflowDefinition;
}

const header = "document: { dsl: '1.0.3', namespace: shop, name: everything, version: '1.0.0' }\n";

/** Uses every kind of dependency once or twice; the credential values must never come out. */
const everything = `${header}
input:
  schema:
    format: json
    resource: { name: orderSchema, endpoint: https://schemas.example/order.json }
use:
  secrets: [ apiToken, dbPassword ]
  authentications:
    petStoreAuth:
      bearer: { token: s3cr3t-token-value }
    fromSecret:
      basic: { use: dbPassword }
    unused:
      oauth2: { authority: https://idp.example, grant: client_credentials, client: { id: app, secret: clientSecretValue } }
  catalogs:
    global:
      endpoint:
        uri: https://github.com/serverlessworkflow/catalog
        authentication: { basic: { username: user, password: catalogPassword } }
  functions:
    notify:
      call: http
      with: { method: post, endpoint: https://notify.example/send }
schedule:
  on:
    one: { with: { type: com.shop.order.placed.v1, source: https://shop.example } }
do:
  - getPet:
      call: http
      with:
        method: get
        endpoint: { uri: "https://petstore.example/pet/{petId}", authentication: { use: petStoreAuth } }
        headers: { authorization: '\${ "Bearer " + $secrets.apiToken }' }
  - getPetAgain:
      call: http
      with: { method: GET, endpoint: "https://petstore.example/pet/{petId}" }
  - dynamicCall:
      call: http
      with: { method: get, endpoint: "\${ .callbackUrl }" }
  - findPets:
      call: openapi
      with:
        document: { endpoint: https://petstore.example/openapi.json }
        operationId: findPetsByStatus
        authentication: fromSecret
  - greet:
      call: grpc
      with:
        proto: { endpoint: file://app/greet.proto }
        service: { name: GreeterApi.Greeter, host: localhost, port: 5011 }
        method: SayHello
  - publish:
      call: asyncapi
      with: { document: { endpoint: https://fake.com/docs/asyncapi.json }, operation: greet, message: { payload: {} } }
  - report:
      call: a2a
      with: { method: message/send, agentCard: { endpoint: https://agents.example/.well-known/agent-card.json } }
  - slack:
      call: mcp
      with:
        method: tools/call
        parameters: { name: conversations_add_message }
        transport: { stdio: { command: npx, arguments: [ slack-mcp ], environment: { SLACK_TOKEN: xoxp-secret } } }
  - log:
      call: log:0.5.2@global
      with: { message: hi }
  - tell:
      call: notify
  - waitPayment:
      listen:
        to:
          any:
            - with: { type: com.shop.payment.received.v1 }
            - with: { type: com.shop.payment.failed.v1, source: https://pay.example }
  - announce:
      emit:
        event:
          with:
            type: com.shop.order.completed.v1
            source: https://shop.example
            data: { token: '\${ $secrets["dbPassword"] }' }
  - child:
      run: { workflow: { namespace: shop, name: ship, version: '2.0.0' } }
  - box:
      run: { container: { image: 'alpine:3' } }
  - script:
      run: { script: { language: js, source: { endpoint: https://scripts.example/x.js } } }
  - undeclared:
      call: http
      with: { method: get, endpoint: { uri: https://x.example, authentication: { use: missingAuth } } }
      output: { as: '\${ $secrets.missing }' }
`;

describe('listDependencies', () => {
  it('lists every kind of dependency with the tasks that use it', () => {
    expect(listDependencies(workflowOf(everything))).toEqual({
      http: [
        { method: 'GET', uri: '${ .callbackUrl }', dynamic: true, usedBy: ['/do/2/dynamicCall'] },
        {
          method: 'POST',
          uri: 'https://notify.example/send',
          dynamic: false,
          usedBy: ['/use/functions/notify'],
        },
        {
          method: 'GET',
          uri: 'https://petstore.example/pet/{petId}',
          dynamic: false,
          usedBy: ['/do/0/getPet', '/do/1/getPetAgain'],
        },
        { method: 'GET', uri: 'https://x.example', dynamic: false, usedBy: ['/do/15/undeclared'] },
      ],
      openapi: [
        {
          document: 'https://petstore.example/openapi.json',
          operationId: 'findPetsByStatus',
          dynamic: false,
          usedBy: ['/do/3/findPets'],
        },
      ],
      grpc: [
        {
          proto: 'file://app/greet.proto',
          service: 'GreeterApi.Greeter',
          host: 'localhost',
          port: 5011,
          method: 'SayHello',
          usedBy: ['/do/4/greet'],
        },
      ],
      asyncapi: [
        {
          document: 'https://fake.com/docs/asyncapi.json',
          operation: 'greet',
          mode: 'publish',
          usedBy: ['/do/5/publish'],
        },
      ],
      a2a: [
        {
          method: 'message/send',
          agentCard: 'https://agents.example/.well-known/agent-card.json',
          dynamic: false,
          usedBy: ['/do/6/report'],
        },
      ],
      mcp: [
        {
          method: 'tools/call',
          transport: 'stdio',
          command: 'npx',
          name: 'conversations_add_message',
          usedBy: ['/do/7/slack'],
        },
      ],
      functions: [
        {
          reference: 'log:0.5.2@global',
          name: 'log',
          version: '0.5.2',
          catalog: 'global',
          declared: true,
          usedBy: ['/do/8/log'],
        },
        { reference: 'notify', name: 'notify', declared: true, usedBy: ['/do/9/tell'] },
      ],
      eventsConsumed: [
        {
          type: 'com.shop.order.placed.v1',
          source: 'https://shop.example',
          usedBy: ['/schedule/on'],
        },
        {
          type: 'com.shop.payment.failed.v1',
          source: 'https://pay.example',
          usedBy: ['/do/10/waitPayment'],
        },
        { type: 'com.shop.payment.received.v1', usedBy: ['/do/10/waitPayment'] },
      ],
      eventsEmitted: [
        {
          type: 'com.shop.order.completed.v1',
          source: 'https://shop.example',
          usedBy: ['/do/11/announce'],
        },
      ],
      workflows: [{ namespace: 'shop', name: 'ship', version: '2.0.0', usedBy: ['/do/12/child'] }],
      containers: [{ image: 'alpine:3', usedBy: ['/do/13/box'] }],
      secrets: [
        { name: 'apiToken', declared: true, usedBy: ['/do/0/getPet'] },
        {
          name: 'dbPassword',
          declared: true,
          usedBy: ['/do/11/announce', '/use/authentications/fromSecret'],
        },
        { name: 'missing', declared: false, usedBy: ['/do/15/undeclared'] },
      ],
      authentications: [
        { scheme: 'basic', declared: false, usedBy: ['/use/catalogs/global'] },
        { name: 'fromSecret', scheme: 'basic', declared: true, usedBy: ['/do/3/findPets'] },
        { name: 'missingAuth', declared: false, usedBy: ['/do/15/undeclared'] },
        { name: 'petStoreAuth', scheme: 'bearer', declared: true, usedBy: ['/do/0/getPet'] },
        { name: 'unused', scheme: 'oauth2', declared: true, usedBy: [] },
      ],
      resources: [
        {
          kind: 'catalog',
          uri: 'https://github.com/serverlessworkflow/catalog',
          name: 'global',
          dynamic: false,
          usedBy: ['/do/8/log'],
        },
        {
          kind: 'schema',
          uri: 'https://schemas.example/order.json',
          name: 'orderSchema',
          dynamic: false,
          usedBy: ['/input/schema'],
        },
        {
          kind: 'script',
          uri: 'https://scripts.example/x.js',
          dynamic: false,
          usedBy: ['/do/14/script'],
        },
      ],
    });
  });

  it('never copies a credential value into its output', () => {
    const output = JSON.stringify(listDependencies(workflowOf(everything)));
    for (const value of [
      's3cr3t-token-value',
      'clientSecretValue',
      'catalogPassword',
      'xoxp-secret',
      'slack-mcp',
      'Bearer',
    ]) {
      expect(output).not.toContain(value);
    }
  });

  it('finds tasks nested in composite tasks, extensions and listen iterators, in document order', () => {
    const dependencies = listDependencies(
      workflowOf(`${header}
use:
  extensions:
    - audit:
        extend: call
        before:
          - record: { call: http, with: { method: post, endpoint: https://audit.example } }
do:
  - a0: { set: { x: 1 } }
  - a1: { set: { x: 1 } }
  - a2: { call: http, with: { method: post, endpoint: https://audit.example } }
  - a3: { set: { x: 1 } }
  - a4: { set: { x: 1 } }
  - a5: { set: { x: 1 } }
  - a6: { set: { x: 1 } }
  - a7: { set: { x: 1 } }
  - a8: { set: { x: 1 } }
  - a9: { set: { x: 1 } }
  - a10:
      try:
        - inner:
            fork:
              branches:
                - deep: { call: http, with: { method: post, endpoint: https://audit.example } }
      catch:
        do:
          - handler: { emit: { event: { with: { type: failed } } } }
  - consume:
      listen: { to: { any: [] } }
      foreach:
        do:
          - perEvent: { call: http, with: { method: POST, endpoint: https://audit.example } }
`),
    );
    expect(dependencies.http).toEqual([
      {
        method: 'POST',
        uri: 'https://audit.example',
        dynamic: false,
        usedBy: [
          '/do/2/a2',
          '/do/10/a10/try/0/inner/fork/branches/0/deep',
          '/do/11/consume/foreach/do/0/perEvent',
          '/use/extensions/0/audit/before/0/record',
        ],
      },
    ]);
    expect(dependencies.eventsEmitted).toEqual([
      { type: 'failed', usedBy: ['/do/10/a10/catch/do/0/handler'] },
    ]);
    // `any: []` listens to every event: a filter that constrains nothing.
    expect(dependencies.eventsConsumed).toEqual([{ usedBy: ['/do/11/consume'] }]);
  });

  it('marks undeclared functions and catalogs, and accepts the runtime default catalog', () => {
    const dependencies = listDependencies(
      workflowOf(`${header}
do:
  - a: { call: log:1.0.0@default }
  - b: { call: log:1.0.0@elsewhere }
  - c: { call: mystery }
`),
    );
    expect(dependencies.functions).toEqual([
      {
        reference: 'log:1.0.0@default',
        name: 'log',
        version: '1.0.0',
        catalog: 'default',
        declared: true,
        usedBy: ['/do/0/a'],
      },
      {
        reference: 'log:1.0.0@elsewhere',
        name: 'log',
        version: '1.0.0',
        catalog: 'elsewhere',
        declared: false,
        usedBy: ['/do/1/b'],
      },
      { reference: 'mystery', name: 'mystery', declared: false, usedBy: ['/do/2/c'] },
    ]);
    expect(dependencies.resources).toEqual([]);
  });

  it('reads every CTK workflow, naming an inline policy by its scheme only', () => {
    const scenarios = ctkScenarios();
    for (const scenario of scenarios) {
      expect(() => listDependencies(workflowOf(scenario.workflow))).not.toThrow();
    }
    const basicAuth = scenarios.find((s) => s.scenario === 'Call HTTP Using Basic Authentication');
    const dependencies = listDependencies(workflowOf(basicAuth?.workflow ?? ''));
    expect(dependencies.authentications).toEqual([
      { scheme: 'basic', declared: false, usedBy: ['/do/0/login'] },
    ]);
    expect(dependencies.http).toEqual([
      {
        method: 'GET',
        uri: 'https://httpbin.org/basic-auth/{username}/{password}',
        dynamic: false,
        usedBy: ['/do/0/login'],
      },
    ]);
  });

  it('returns empty lists for a workflow that needs nothing, or is not a workflow', () => {
    const empty = {
      http: [],
      openapi: [],
      grpc: [],
      asyncapi: [],
      a2a: [],
      mcp: [],
      functions: [],
      eventsConsumed: [],
      eventsEmitted: [],
      workflows: [],
      containers: [],
      secrets: [],
      authentications: [],
      resources: [],
    };
    expect(listDependencies(workflowOf(`${header}do: [ { a: { set: { x: 1 } } } ]`))).toEqual(
      empty,
    );
    expect(listDependencies(null as unknown as WorkflowDefinition)).toEqual(empty);
  });

  it('sites a secret outside every task at the workflow-level entry holding it', () => {
    const dependencies = listDependencies(
      workflowOf(`${header}
use:
  secrets: [ a ]
  authentications:
    deep: { oauth2: { authority: '\${ $secrets.b }', grant: client_credentials } }
  functions:
    f: { call: http, with: { method: get, endpoint: '\${ "https://x/" + $secrets.c }' } }
input: { from: '\${ $secrets.d }' }
timeout: { after: { seconds: 1 } }
output: { as: { nested: { deeper: '\${ $secrets.e + $secrets.e }' } } }
do:
  - t: { set: { y: '\${ $secrets.a }' } }
`),
    );
    expect(dependencies.secrets.map(({ name, usedBy }) => [name, usedBy])).toEqual([
      ['a', ['/do/0/t']],
      ['b', ['/use/authentications/deep']],
      ['c', ['/use/functions/f']],
      ['d', ['/input/from']],
      ['e', ['/output/as']],
    ]);
  });

  // Review: pointers repeat every name above them, and V8 hashes a string of more than 16,383
  // units by its length alone: sets of such pointers were quadratic (seconds for this workflow).
  it('lists the 1,000 users of an endpoint below a 20,000-character task name, in order', () => {
    const count = 1_000;
    const name = 'p'.repeat(20_000);
    const body = { call: 'http', with: { method: 'get', endpoint: 'https://x/${ $secrets.s }' } };
    const dependencies = listDependencies({
      use: { secrets: ['s'] },
      do: [{ [name]: { do: Array.from({ length: count }, (_, i) => ({ [`t${i}`]: body })) } }],
    } as unknown as WorkflowDefinition);
    const sites = Array.from({ length: count }, (_, i) => `/do/0/${name}/do/${i}/t${i}`);
    expect(dependencies.http).toEqual([
      { uri: 'https://x/${ $secrets.s }', method: 'GET', dynamic: true, usedBy: sites },
    ]);
    expect(dependencies.secrets).toEqual([{ name: 's', declared: true, usedBy: sites }]);
  });
});
