/**
 * What the model is told about the Serverless Workflow 1.0 DSL: the subset AWP runs, as short
 * rules with one example, instead of the 110 KB reference (which would cost every request tens
 * of thousands of tokens). Facts from spec/serverless-workflow/dsl-reference.md; validation of
 * the output against the official schema catches whatever this leaves out.
 */
export const dslPrimer = `Serverless Workflow 1.0 essentials (YAML):
- Header: document: { dsl: '1.0.3', namespace: <lowercase-dashed>, name: <lowercase-dashed>, version: '<semver>', summary: <one line> }
- do: an ordered list of single-key maps, each "<taskName>: <task>"; task names are lowercase-dashed or camelCase and unique in their list.
- Runtime expressions are jq inside \${ }: \${ .order.id }, \${ .items | length > 3 }. The task input is "."; $input, $context, $secrets and $workflow are available.
- call: openapi  with: { document: { endpoint: <documentUri> }, operationId: <id>, parameters: { <name>: <value or expression> } } — the response body becomes the task output.
- call: http  with: { method: get|post|put|delete|patch, endpoint: <uri>, headers: {}, body: {} }
- set: { <key>: <value or expression> } replaces the data with that object.
- switch: [ { <caseName>: { when: <jq condition>, then: <taskName|continue|exit|end> } }, …, { default: { then: … } } ]
- for: { each: item, in: \${ .items } }  do: [ … ]
- fork: { branches: [ … ], compete: false } runs branches in parallel.
- try: [ … ]  catch: { errors: { with: { status: 503 } }, retry: { delay: { seconds: 2 }, backoff: { exponential: {} }, limit: { attempt: { count: 3 } } }, do: [ … ] }
- wait: { minutes: 5 }   (or an ISO 8601 duration such as PT5M)
- emit: { event: { with: { source: <uri>, type: <reverse.dns.type>, data: { … } } } }
- listen: { to: { one: { with: { type: <event type> } } } }
- raise: { error: { type: https://serverlessworkflow.io/spec/1.0.0/errors/validation, status: 400, title: <text> } }
- Data flow on any task: input: { from: <expr> }, output: { as: <expr> }, export: { as: <expr> } (export writes $context).
- then: on any task jumps to a named task in the same list, or continue | exit | end.
- Secrets: declare under use: { secrets: [ <name> ] } and read as \${ $secrets.<name> }. Authentication: use: { authentications: { <policy>: { bearer: { token: \${ $secrets.<name> } } } } } and with.authentication: { use: <policy> } on the call.
- schedule: { cron: '<cron expression>' } starts the workflow on a schedule; omit it for on-demand workflows.
Example:
document: { dsl: '1.0.3', namespace: orders, name: accept-order, version: '1.0.0' }
do:
  - checkStock:
      call: openapi
      with:
        document: { endpoint: https://api.example.test/openapi.json }
        operationId: getStock
        parameters: { sku: \${ .sku } }
      output: { as: '\${ { sku: $input.sku, available: .available } }' }
  - decide:
      switch:
        - enough: { when: '\${ .available > 0 }', then: confirm }
        - default: { then: reject }
  - confirm: { set: { status: confirmed }, then: end }
  - reject: { set: { status: rejected } }
`;
