import { deepStrictEqual } from 'node:assert';
import { loadJq } from 'jq-wasm';
import { createJqExpressionEngine } from '../infra/jq/index.js';
import { createJqInstance } from '../infra/jq/jqInstance.js';
import { loadJqWasm } from '../infra/jq/wasmBinary.js';
import { fmt, percentile } from './serverProcess.js';

const rounds = 7;

interface Case {
  label: string;
  program: string;
  input: unknown;
  variables: Record<string, unknown>;
  /** The same result computed by hand in JavaScript: the floor. */
  plain: (input: never, variables: never) => unknown[];
}

const order = {
  order: {
    id: 'o-48213',
    customer: { name: 'Ada', email: 'ADA@EXAMPLE.ORG' },
    items: Array.from({ length: 5 }, (_, i) => ({ sku: `A-${1040 + i}`, qty: i + 1, price: 9.5 })),
  },
};
const people = Array.from({ length: 20 }, (_, i) => ({ name: `p${i}`, age: 10 + 3 * i }));

const cases: Case[] = [
  {
    label: '`.a + 1`',
    program: '.a + 1',
    input: { a: 41 },
    variables: {},
    plain: (x: { a: number }) => [x.a + 1],
  },
  {
    label: '`{id: .order.id, n: (.order.items|length)}`',
    program: '{id: .order.id, n: (.order.items|length)}',
    input: order,
    variables: {},
    plain: (x: typeof order) => [{ id: x.order.id, n: x.order.items.length }],
  },
  {
    label: '`$input.x`',
    program: '$input.x',
    input: null,
    variables: { input: { x: 'value', y: [1, 2, 3] } },
    plain: (_: null, v: { input: { x: string } }) => [v.input.x],
  },
  {
    label: '`.order.items | map(.qty) | add`',
    program: '.order.items | map(.qty) | add',
    input: order,
    variables: {},
    plain: (x: typeof order) => [x.order.items.map((i) => i.qty).reduce((a, b) => a + b)],
  },
  {
    label: '`[.[] | select(.age >= 18) | .name]` (20 items)',
    program: '[.[] | select(.age >= 18) | .name]',
    input: people,
    variables: {},
    plain: (x: typeof people) => [x.filter((p) => p.age >= 18).map((p) => p.name)],
  },
  {
    label: '`"\\(.name) <\\(.email | ascii_downcase)>"`, regex `test`',
    program:
      '.order.customer | "\\(.name) <\\(.email | ascii_downcase)>", (.email | test("@example\\\\.org$"; "i"))',
    input: order,
    variables: {},
    plain: (x: typeof order) => {
      const { name, email } = x.order.customer;
      return [`${name} <${email.toLowerCase()}>`, /@example\.org$/i.test(email)];
    },
  },
];

/** Median µs per call of `call`, over `rounds` rounds of `calls` calls (after one warm-up round). */
function measure(calls: number, call: () => unknown): number {
  const perCall: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < calls; i++) call();
    if (round > 0) perCall.push(((performance.now() - started) * 1000) / calls);
  }
  return percentile(
    perCall.sort((a, b) => a - b),
    50,
  );
}

/**
 * µs per evaluation of typical runtime expressions, JSON in and out included: the engine (real
 * jq compiled once, run in its worker thread), the same jq-awp.wasm called in this thread (no
 * timeout protection: what the worker round trip costs), jq-wasm's synchronous handle (jq's
 * command line, compiling program and builtins on each call) and plain JavaScript (the floor).
 */
export async function jqEvaluationBenchmark(): Promise<void> {
  let started = performance.now();
  const engine = await createJqExpressionEngine();
  const startMs = performance.now() - started;
  const reference = await loadJq();
  const wasm = await loadJqWasm();
  const inThread = createJqInstance(wasm, 256 * 2 ** 20);

  console.log(`\n## jq evaluation: µs per run, median of ${rounds} rounds (target < 100 µs)`);
  console.log(
    '| expression | engine (worker) | jq-awp in this thread | jq-wasm 3 `loadJq` | plain JS |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const c of cases) {
    const names = Object.keys(c.variables);
    const compiled = engine.compile(c.program, names);
    const expected = c.plain(c.input as never, c.variables as never);
    deepStrictEqual(compiled.run(c.input, c.variables), expected);

    const state = inThread.compile(
      `${names.map((n, i) => `.[${i + 1}] as $${n} | `).join('')}.[0] | ${c.program}`,
      {},
      4096,
    );
    if (typeof state === 'string') throw new Error(state);
    const runInThread = () => {
      const text = JSON.stringify([c.input, ...names.map((n) => c.variables[n])]);
      const { output } = inThread.run(state, Buffer.from(text), 2 ** 20);
      return JSON.parse(Buffer.from(output).toString('utf8')) as unknown[];
    };
    deepStrictEqual(runInThread(), expected);

    const flags = ['-c', ...names.flatMap((n) => ['--argjson', n, JSON.stringify(c.variables[n])])];
    const runReference = () => {
      const saved = process.exitCode;
      try {
        return reference.json(JSON.stringify(c.input), c.program, flags);
      } finally {
        process.exitCode = saved;
      }
    };
    deepStrictEqual(runReference(), expected);

    const ours = measure(20_000, () => compiled.run(c.input, c.variables));
    const thread = measure(20_000, runInThread);
    const theirs = measure(100, runReference);
    const floor = measure(200_000, () => c.plain(c.input as never, c.variables as never));
    // A `|` inside a Markdown table cell must be escaped, even in code.
    const label = c.label.replaceAll('|', '\\|');
    console.log(`| ${label} | ${fmt(ours)} | ${fmt(thread)} | ${fmt(theirs)} | ${fmt(floor, 3)} |`);
  }

  // What a runaway expression costs: the timeout, then the worker is replaced.
  const small = engine.compile('.a + 1', []);
  started = performance.now();
  try {
    engine.compile('def f: f; f', []).run(null, {});
  } catch {
    // the expected timeout
  }
  const timeoutMs = performance.now() - started;
  started = performance.now();
  small.run({ a: 1 }, {});
  const recoveryMs = performance.now() - started;
  console.log(
    `\nEngine start ${fmt(startMs)} ms; a runaway program stopped after ${fmt(timeoutMs)} ms (timeout 1,000 ms); the next run, in a new worker, ${fmt(recoveryMs)} ms.`,
  );
  await engine.close();
}
