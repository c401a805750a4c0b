import { describe, expect, it } from 'vitest';
import {
  sampleTasks,
  sampleWorkflow,
  schemaProblemsOf,
} from '../../test/support/schemaDocuments.js';

/** Invalid documents of our own, each with the exact problems the schema stage must report. */

const problemsOf = schemaProblemsOf;
const workflow = sampleWorkflow;
const tasks = sampleTasks;

/** `code line:column message`, the message in part. */
type Expected = string;

const invalidDocuments: Array<{ name: string; yaml: string; expected: Expected[] }> = [
  {
    name: 'a task with no task type',
    yaml: tasks(`
  - checkStock:
      cal: http
`),
    expected: [
      "schema-task-type 7:5 task 'checkStock' has no task type: expected exactly one of call, do, emit, for, fork, listen, raise, run, set, switch, try, wait",
      "schema-unknown-property 8:7 task 'checkStock': unknown property 'cal' (did you mean 'call'?)",
    ],
  },
  {
    name: 'a typo in a property of `with`, said once (not also as the missing property)',
    yaml: tasks(`
  - checkStock:
      call: http
      with:
        methd: get
        endpoint: https://shop.example.com/stock
`),
    expected: [
      "schema-unknown-property 10:9 task 'checkStock': unknown property 'with.methd' (did you mean 'method'?)",
    ],
  },
  {
    name: 'a typo in a property of the task',
    yaml: tasks(`
  - done:
      set:
        ok: true
      thn: end
`),
    expected: [
      "schema-unknown-property 10:7 task 'done': unknown property 'thn' (did you mean 'then'?)",
    ],
  },
  {
    name: 'an HTTP call without its endpoint',
    yaml: tasks(`
  - checkStock:
      call: http
      with:
        method: get
`),
    expected: ["schema-required 9:7 task 'checkStock': 'with' is missing 'endpoint'"],
  },
  {
    name: 'a value outside an enum (HTTP output format)',
    yaml: tasks(`
  - checkStock:
      call: http
      with:
        method: get
        endpoint: https://shop.example.com/stock
        output: body
`),
    expected: [
      "schema-enum 12:17 task 'checkStock': 'with.output' must be one of raw, content or response",
    ],
  },
  {
    name: 'a version that is not a semantic version',
    yaml: `document:
  dsl: '1.0.0'
  namespace: test
  name: sample
  version: '1.0'
do:
  - done:
      set:
        ok: true
`,
    expected: ["schema-pattern 5:12 document: 'version' must be a semantic version like 1.0.0"],
  },
  {
    name: 'a DSL version YAML reads as a number',
    yaml: `document:
  dsl: 1.0
  namespace: test
  name: sample
  version: '1.0.0'
do:
  - done:
      set:
        ok: true
`,
    expected: [
      "schema-type 2:8 document: 'dsl' must be a string, not a whole number (put the value in quotes)",
    ],
  },
  {
    name: 'an endpoint that is not a URI',
    yaml: tasks(`
  - checkStock:
      call: http
      with:
        method: get
        endpoint: shop.example.com/stock
`),
    expected: [
      "schema-invalid 11:19 task 'checkStock': 'with.endpoint' must be an endpoint: an absolute URI like https://example.com/path",
    ],
  },
  {
    name: 'an endpoint object without its uri',
    yaml: tasks(`
  - checkStock:
      call: http
      with:
        method: get
        endpoint:
          url: https://shop.example.com/stock
`),
    expected: [
      "schema-unknown-property 12:11 task 'checkStock': unknown property 'with.endpoint.url' (did you mean 'uri'?)",
    ],
  },
  {
    name: 'a value of the wrong type',
    yaml: tasks(`
  - checkStock:
      if: true
      set:
        checked: true
`),
    expected: [
      "schema-type 8:11 task 'checkStock': 'if' must be a string, not true or false (put the value in quotes)",
    ],
  },
  {
    name: 'a number written as a string',
    yaml: tasks(`
  - fail:
      raise:
        error:
          type: https://example.com/errors/stock
          status: '503'
`),
    expected: [
      "schema-type 11:19 task 'fail': 'raise.error.status' must be a whole number, not a string (remove the quotes)",
    ],
  },
  {
    name: 'a duration object with a misspelt unit',
    yaml: tasks(`
  - pause:
      wait:
        minute: 5
`),
    expected: [
      "schema-unknown-property 9:9 task 'pause': unknown property 'wait.minute' (did you mean 'minutes'?)",
    ],
  },
  {
    name: 'a duration string that is not ISO 8601',
    yaml: tasks(`
  - pause:
      wait: 5 seconds
`),
    expected: [
      "schema-invalid 8:13 task 'pause': 'wait' must be a duration: an ISO 8601 string like PT5S",
    ],
  },
  {
    name: 'a switch case without then',
    yaml: tasks(`
  - route:
      switch:
        - large:
            when: '\${ .total > 100 }'
        - default:
            then: end
`),
    expected: ["schema-required 9:11 task 'route' case 'large' is missing 'then'"],
  },
  {
    name: 'a switch without cases',
    yaml: tasks(`
  - route:
      switch: []
`),
    expected: ["schema-min-items 8:15 task 'route': 'switch' must have at least 1 item"],
  },
  {
    name: 'a try without catch',
    yaml: tasks(`
  - guard:
      try:
        - pause:
            wait: PT1S
`),
    expected: ["schema-required 7:5 task 'guard' is missing 'catch'"],
  },
  {
    name: 'a set task with an empty object',
    yaml: tasks(`
  - reset:
      set: {}
`),
    expected: ["schema-min-properties 8:7 task 'reset': 'set' must have at least 1 property"],
  },
  {
    name: 'an error in a task nested in a for loop',
    yaml: tasks(`
  - each:
      for:
        in: '\${ .items }'
      do:
        - checkStock:
            call: http
            with:
              method: get
`),
    expected: ["schema-required 13:13 task 'checkStock': 'with' is missing 'endpoint'"],
  },
  {
    name: 'an error in a task nested in a try',
    yaml: tasks(`
  - guard:
      try:
        - notify:
            emit:
              event:
                with:
                  type: order.checked
      catch:
        as: failure
`),
    expected: ["schema-required 12:17 task 'notify': 'emit.event.with' is missing 'source'"],
  },
  {
    name: 'an error in a fork branch',
    yaml: tasks(`
  - race:
      fork:
        compete: true
        branches:
          - slow:
              wait: PT10S
          - fast:
              call: grpc
              with:
                proto:
                  endpoint: https://example.com/stock.proto
                service:
                  name: Stock
                  host: stock.example.com
                  port: 70000
                method: Check
`),
    expected: ["schema-maximum 21:25 task 'fast': 'with.service.port' must be at most 65535"],
  },
  {
    name: 'an error in a function of use.functions',
    yaml: workflow(`
use:
  functions:
    getStock:
      call: http
      with:
        method: get
        endpoint:
          uri: https://shop.example.com/stock
          authentication:
            basic:
              username: shop
do:
  - checkStock:
      call: getStock
`),
    expected: [
      "schema-required 15:13 use.functions 'getStock': 'with.endpoint.authentication.basic' is missing 'password'",
    ],
  },
  {
    name: 'a task with two task types',
    yaml: tasks(`
  - checkStock:
      call: http
      with:
        method: get
        endpoint: https://shop.example.com/stock
      set:
        checked: true
`),
    expected: [
      "schema-task-type 7:5 task 'checkStock' has more than one task type (call and set): a task has exactly one of",
    ],
  },
  {
    name: 'a call that is not a string',
    yaml: tasks(`
  - checkStock:
      call: 5
`),
    expected: [
      "schema-invalid 8:13 task 'checkStock': 'call' must be one of http, grpc, openapi, asyncapi, a2a, mcp or a function name",
    ],
  },
  {
    name: 'a run task with two processes',
    yaml: tasks(`
  - build:
      run:
        shell:
          command: make
        script:
          language: js
          code: build()
`),
    expected: [
      "schema-ambiguous 8:7 task 'build': 'run' has 'script' and 'shell': it must have exactly one of 'container', 'script', 'shell' or 'workflow'",
    ],
  },
  {
    name: 'a run task with no process',
    yaml: tasks(`
  - build:
      run:
        shel:
          command: make
`),
    expected: [
      "schema-invalid 8:7 task 'build': 'run' must have exactly one of 'container', 'script', 'shell' or 'workflow'",
      "schema-unknown-property 9:9 task 'build': unknown property 'run.shel' (did you mean 'shell'?)",
    ],
  },
  {
    name: 'a timeout that is neither a definition nor a name',
    yaml: tasks(`
  - done:
      set:
        ok: true
      timeout: 30
`),
    expected: [
      "schema-invalid 10:16 task 'done': 'timeout' must be a timeout such as { after: PT30S } or the name of a timeout in use.timeouts",
    ],
  },
  {
    name: 'a task list item holding two tasks (an indentation slip)',
    yaml: tasks(`
  - first:
      set:
        a: 1
    second:
      set:
        b: 2
`),
    expected: [
      "schema-task-entry 7:5 the workflow: item 1 of 'do' holds 2 tasks (first, second); put each task in its own list item",
    ],
  },
  {
    name: 'a task list item that is only a name',
    yaml: tasks(`
  - checkStock
`),
    expected: [
      "schema-task-entry 7:5 the workflow: item 1 of 'do' must be one task, written as '- name: { … }', not a string",
    ],
  },
  {
    name: 'a listen task reading events in an unknown way',
    yaml: tasks(`
  - waitForOrder:
      listen:
        to:
          one:
            with:
              type: order.placed
        read: body
`),
    expected: [
      "schema-enum 13:15 task 'waitForOrder': 'listen.read' must be one of data, envelope or raw",
    ],
  },
  {
    name: 'an authentication policy with a malformed URI template',
    yaml: workflow(`
use:
  authentications:
    idp:
      oauth2:
        authority: https://idp.example.com
        grant: client_credentials
        endpoints:
          token: '/oauth2/to ken'
do:
  - done:
      set:
        ok: true
`),
    expected: [
      "schema-format 13:18 use.authentications 'idp': 'oauth2.endpoints.token' must be a valid URI template",
    ],
  },
  {
    name: 'a document without name and without do',
    yaml: `document:
  dsl: '1.0.0'
  namespace: test
  version: '1.0.0'
`,
    expected: [
      "schema-required 1:1 the workflow is missing 'do'",
      "schema-required 1:1 document is missing 'name'",
    ],
  },
];

describe('validateAgainstSchema on invalid documents', () => {
  describe('says what is wrong, where', () => {
    it.each(invalidDocuments)('$name', ({ yaml, expected }) => {
      const problems = problemsOf(yaml);
      expect(problems).toEqual(
        expected.map((expectation) => {
          const [, code, line, column, message = ''] =
            /^(\S+) (\d+):(\d+) (.*)$/.exec(expectation) ?? [];
          return expect.objectContaining({
            severity: 'error',
            code,
            line: Number(line),
            column: Number(column),
            message: expect.stringContaining(message),
          });
        }),
      );
    });
  });
});
