import { loadJq } from 'jq-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpressionError } from '../../domains/workflow/ports/expressionEngine.js';
import { createJqExpressionEngine } from './jqExpressionEngine.js';
import type { JqExpressionEngine } from './jqExpressionEngine.js';

/*
 * Differential test: every program runs on the engine and on the reference, jq-wasm 3 (the same
 * jq 1.8.2, run as its command line with `--argjson` variables). Results must be the same values
 * with the same key order; failures the same kind and jq's same message.
 */

interface CorpusCase {
  program: string;
  input?: unknown;
  variables?: Record<string, unknown>;
}

const order = {
  order: {
    id: 'o-1',
    items: [
      { sku: 'a', qty: 2 },
      { sku: 'b', qty: 3 },
    ],
  },
};
const people = [
  { name: 'Ada', age: 36, tags: ['x'] },
  { name: 'Bob', age: 17, tags: [] },
];

const corpus: CorpusCase[] = [
  // Paths and construction
  { program: '.', input: { b: 1, a: 2 } },
  { program: '.a + 1', input: { a: 41 } },
  { program: '{id: .order.id, n: (.order.items|length)}', input: order },
  { program: '.order.items | map(.qty) | add', input: order },
  { program: '.order.items[] | .sku', input: order },
  { program: '.order.items[-1]', input: order },
  { program: '.[2:4], .[:-1], .[5:]', input: [0, 1, 2, 3, 4] },
  { program: '.a.b.c', input: { a: null } },
  { program: '.a?, (.[0]? // "none")', input: { a: 1 } },
  { program: '[.[] | .name?]', input: [{ name: 'x' }, 'y', 3] },
  { program: '{(.k): .v, "lit": 1, $__loc__}', input: { k: 'key', v: 2 } },
  { program: '{a, b: .c, "d e": 1}', input: { a: 1, c: 2 } },
  { program: '[paths]', input: { a: [1, { b: 2 }] } },
  { program: '[paths(type == "number")]', input: { a: [1, { b: 2 }], c: 'x' } },
  { program: 'getpath(["a", 0, "b"])', input: { a: [{ b: 5 }] } },
  { program: 'getpath(["x", "y"])', input: {} },
  { program: 'setpath(["a", "b"]; 1)', input: null },
  { program: 'delpaths([["a"], ["c", 0]])', input: { a: 1, b: 2, c: [1, 2] } },
  { program: 'to_entries', input: { b: 1, a: 2 } },
  {
    program: 'from_entries',
    input: [
      { key: 'z', value: 1 },
      { name: 'y', value: 2 },
    ],
  },
  { program: 'with_entries(.value += 1)', input: { b: 1, a: 2 } },
  { program: 'keys, keys_unsorted', input: { b: 1, a: 2, c: 3 } },
  { program: '. + {c: 3} | del(.b)', input: { b: 1, a: 2 } },
  { program: '. * {a: {y: 2}}', input: { a: { x: 1 }, b: 0 } },
  { program: '.a.b.c = 1', input: {} },
  { program: '.items[] |= . * 2', input: { items: [1, 2, 3] } },
  { program: '.a += 1 | .b //= "d"', input: { a: 1, b: null } },
  { program: 'to_entries | map(select(.value > 1)) | from_entries', input: { a: 1, b: 2, c: 3 } },
  { program: 'pick(.a.b, .c)', input: { a: { b: 1, x: 2 }, c: 3, d: 4 } },
  { program: 'tostream', input: { a: [1, { b: null }] } },
  { program: 'fromstream(tostream)', input: { a: [1, { b: null }] } },
  { program: '[leaf_paths]', input: { a: [1, { b: 2 }] } },
  { program: '[.. | numbers]', input: { a: [1, { b: 2 }], c: 'x' } },
  // Arithmetic and numbers
  { program: '1 + 2 * 3 - 4 / 8, 7 % 3, -7 % 3, 5 / 2' },
  { program: '[1.000, 1.0, 1.5e300, 1e1000, -0, 0.1 + 0.2, 3.0 * 1]' },
  { program: '100000000000000000001, (100000000000000000001 | tostring)' },
  { program: '[12345678901234567890, 1e17, 0.00001] | map(tostring), tojson' },
  { program: '[nan, infinite, -infinite] | map(isnan, isinfinite, . == .)' },
  { program: '[.[] | floor, ceil, round, fabs, sqrt]', input: [2.5, -2.5, 9] },
  { program: 'pow(2; 10), log2, exp10, (. | significand), ldexp(3; 2)', input: 8 },
  { program: 'map(tonumber)', input: ['1', '1.50', '-3e2', '0x10'] },
  { program: '[range(5)], [range(2; 10; 3)], [range(5; 0; -2)]' },
  { program: 'add / length', input: [1, 2, 3, 4] },
  { program: 'min, max, min_by(.age), max_by(.age)', input: people },
  { program: 'abs, trunc, (. | tostring)', input: -3.75 },
  { program: '[splits(", *")] | map(tonumber) | add', input: '1, 2,3' },
  // Strings
  { program: '"\\(.name) is \\(.age)"', input: people[0] },
  { program: 'ascii_downcase, ascii_upcase, length, utf8bytelength', input: 'Héllo 😀' },
  { program: 'ltrimstr("foo"), rtrimstr("bar"), ltrimstr(1)', input: 'foobazbar' },
  { program: 'trim, ltrim, rtrim', input: '  x y  ' },
  { program: 'split(","), join("-")?', input: 'a,b,,c' },
  { program: 'split(",") | join("-")', input: 'a,b,,c' },
  { program: 'startswith("ab"), endswith("yz"), contains("cd"), inside("xabcdyz")', input: 'abcd' },
  { program: 'explode, (explode | implode)', input: 'aé😀' },
  { program: 'indices(", "), index(","), rindex(",")', input: 'a, b, c' },
  { program: '[.[] | ascii_downcase] | sort | unique', input: ['B', 'a', 'b', 'A'] },
  { program: 'tojson, (tojson | fromjson)', input: { b: [1, 'x', null], a: 'é' } },
  { program: 'fromjson', input: '{"z": 1, "a": [1.10, 1e3]}' },
  { program: '"\\u00e9\\ud83d\\ude00" | ., length, @json' },
  { program: 'ascii', input: 65 },
  { program: 'implode', input: [72, 105, 128512] },
  { program: 'test("\\\\p{L}"), ("ÉTÉ" | ascii_downcase)', input: 'é' },
  { program: 'sort_by(.name) | map(.name)', input: [{ name: 'b' }, { name: 'a' }, { name: 'B' }] },
  // Regular expressions (oniguruma)
  { program: 'test("a.c"), test("A.C"; "i"), test("^b")', input: 'abc' },
  { program: '[match("a+"; "g") | {offset, length, string}]', input: 'aa baaa' },
  { program: 'capture("(?<y>\\\\d{4})-(?<m>\\\\d{2})")', input: 'on 2024-05-17' },
  { program: 'sub("(?<x>[aeiou])"; "<\\(.x)>")', input: 'workflow' },
  {
    program: 'gsub("\\\\s+"; "-"), gsub("(?<c>[A-Z])"; "_\\(.c | ascii_downcase)")',
    input: 'Some  Big Text',
  },
  { program: '[scan("[0-9]+")], [scan("(a)(b)?")]', input: 'a1 ab22 c333' },
  { program: '[splits("[,;] *")]', input: 'a, b;c' },
  { program: 'split("\\\\d"; "g")', input: 'a1b2c' },
  { program: 'test("("; "x")', input: 'a' },
  // Dates
  { program: 'todate, (todate | fromdate)', input: 1425599507 },
  { program: 'fromdate', input: '2015-03-05T23:51:47Z' },
  { program: 'gmtime, (gmtime | mktime), (gmtime | todate)', input: 1425599507.9 },
  {
    program: 'strftime("%Y-%m-%dT%H:%M:%SZ"), strftime("%A %B %d %j %e %H %I %p")',
    input: 1425599507,
  },
  { program: 'strptime("%Y-%m-%dT%H:%M:%SZ") | ., mktime', input: '2015-03-05T23:51:47Z' },
  { program: 'dateadd("seconds"; 10)', input: 0 },
  { program: 'now | type' },
  { program: '"2015-03-05" | strptime("%Y-%m-%d") | mktime | todate' },
  // Formats
  { program: '@base64, (@base64 | @base64d)', input: 'héllo wörld' },
  { program: '@uri, @html, @sh, @text, @json', input: "ü ?&=<'x'>" },
  { program: '@csv, @tsv', input: [1, 'a"b', null, 'c\td'] },
  { program: '@json "v: \\(.)", @uri "https://x.test/?q=\\(.q)"', input: { q: 'a b&c' } },
  { program: '@base32, (@base32 | @base32d)', input: 'abc' },
  // Control flow
  { program: 'reduce .[] as $x (0; . + $x)', input: [1, 2, 3] },
  { program: '[foreach .[] as $x (0; . + $x; [$x, .])]', input: [1, 2, 3] },
  {
    program: 'reduce .[] as [$k, $v] ({}; .[$k] = $v)',
    input: [
      ['b', 1],
      ['a', 2],
    ],
  },
  { program: 'if . > 2 then "big" elif . > 1 then "mid" else "small" end', input: 2 },
  { program: '[.[] | select(.age >= 18) | .name]', input: people },
  { program: 'try error("x") catch ., try (1/0) catch ., (.a // "d")', input: { a: false } },
  { program: '[.[] | try tonumber catch "bad"]', input: ['1', 'x'] },
  { program: '[limit(3; .[])], first(.[]), [first(empty)], last, nth(1)', input: [5, 6, 7, 8] },
  { program: '[limit(0; 1, 2)], [limit(1; 1, error("no"))]' },
  {
    program: 'label $out | foreach .[] as $x (0; . + $x; if . > 3 then ., break $out else . end)',
    input: [1, 2, 3, 4],
  },
  { program: 'def f(x): x * 2; def g: . + 1; [.[] | f(g)]', input: [1, 2] },
  { program: 'def fac: if . <= 1 then 1 else . * (. - 1 | fac) end; [range(1; 8) | fac]' },
  { program: '.[] as [$a, $b] | {a: $a, b: $b}', input: [[1, 2], [3]] },
  { program: '.[] as {a: $x, $b} ?// [$x, $b] | [$x, $b]', input: [{ a: 1, b: 2 }, [3, 4]] },
  { program: '[recurse(if . < 3 then . + 1 else empty end)], [1, [2]] | flatten', input: 0 },
  { program: 'walk(if type == "number" then . + 1 else . end)', input: { a: [1, { b: 2 }] } },
  { program: 'any, all, (map(. > 1) | any), isempty(empty)', input: [true, false] },
  {
    program: 'group_by(.k) | map({k: .[0].k, n: length})',
    input: [{ k: 'b' }, { k: 'a' }, { k: 'b' }],
  },
  { program: 'unique_by(length), (map(length) | add)', input: ['a', 'bb', 'c'] },
  { program: 'to_entries | map("\\(.key)=\\(.value)") | join("&")', input: { a: 1, b: 'x' } },
  { program: '$__loc__, ($__loc__ | .line), {a: $__loc__.file}' },
  { program: 'splits("a")', input: 'banana' },
  { program: 'getpath(["a"]) |= 3', input: {} },
  { program: 'halt', input: 1 },
  { program: '1, halt, 2' },
  { program: 'env | type, ($ENV | type)' },
  { program: 'debug, stderr, ("x" | debug("msg"))', input: 1 },
  { program: 'tojson | length', input: Array.from({ length: 200 }, (_, i) => ({ i, s: `v${i}` })) },
  {
    program:
      'infinite | tostring, ([1, 2] | contains([1])), ({a: 1} | has("a")), ("abc" | has(0))?',
  },
  { program: '[.[] | type]', input: [null, true, 1, 'a', [], {}] },
  { program: 'map(tostring), map(tojson)', input: [null, true, 1.5, 'a', [1], { x: 1 }] },
  { program: 'getpath(["a"]; 1)?, (["a", "b"] | index("b")), ([1, 2, 1] | indices(1))' },
  { program: 'ascii(65)?, ([65, 66] | implode)' },
  { program: '[.[] | tostring | ascii_downcase] | @sh', input: ['A b', 'C'] },
  // Variables, as the engine binds them
  { program: '$input.x', variables: { input: { x: 'from input' } } },
  {
    program: '{id: .id, who: $context.user, n: ($input.items | length)}',
    input: { id: 7 },
    variables: { context: { user: 'ada' }, input: { items: [1, 2] } },
  },
  { program: '$secrets.token | ascii_downcase', variables: { secrets: { token: 'ABC' } } },
  { program: '[$a, $b, $c]', variables: { a: 1, b: null, c: [true] } },
  { program: '$input | keys_unsorted', variables: { input: { z: 1, a: 2 } } },
  {
    program: '. as $dot | $workflow.id + "/" + $dot',
    input: 'task',
    variables: { workflow: { id: 'w' } },
  },
  { program: '$__loc__, $item * 2', variables: { item: 21 } },
  { program: '$ARGS, $ARGS.named.b', variables: { b: { x: 1 }, a: 2 } },
  { program: '$ARGS' },
  { program: '$ARGS.named | .x |', variables: { x: 1 } },
  // Errors: compile
  { program: '.a |' },
  { program: '$nope' },
  { program: '{(1):2}' },
  { program: 'nosuchfunction(1)' },
  { program: '"\\ud800"' },
  { program: '.a ]' },
  { program: '' },
  { program: 'def f: 1;' },
  { program: 'include "x"; .' },
  { program: '$input.x | $missing', variables: { input: {} } },
  { program: '.a\n| .b\n| )' },
  // Errors: runtime
  { program: '{} | .a.b.c = 1 | error("boom")' },
  { program: '1 + "a"' },
  { program: 'error({code: 1, why: "x"})' },
  { program: 'error(null)' },
  { program: '.[0]', input: { a: 1 } },
  { program: '.a.b', input: { a: 'text' } },
  { program: '"x" * -1, ({} | keys | .[0] | ltrimstr("a"))' },
  { program: '[limit(-1; 1, 2)]' },
  { program: 'halt_error', input: { a: 1 } },
  { program: '"bye\\n" | halt_error' },
  { program: '"bye" | halt_error(1)' },
  { program: 'input' },
  { program: 'tonumber', input: 'abc' },
  { program: 'implode', input: [-1] },
  { program: 'fromjson', input: '{"a":' },
  { program: 'strptime("%Y")', input: 1 },
  { program: 'test(1)', input: 'a' },
  { program: '[.[] | error]', input: ['first', 'second'] },
];

/** jq's answer, from either side, in one comparable shape. */
type Outcome =
  | { outputs: unknown[] }
  | { kind: 'compile' | 'runtime'; message: string }
  | { kind: 'limit' | 'timeout'; message: string };

let reference: Awaited<ReturnType<typeof loadJq>>;
let engine: JqExpressionEngine;

beforeAll(async () => {
  [reference, engine] = await Promise.all([loadJq(), createJqExpressionEngine()]);
});
afterAll(() => engine.close());

/** The reference's stderr as the engine words it: no `jq: error (at …)` prefix or error count. */
function referenceMessage(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^jq: \d+ compile errors?$/.test(line))
    .map((line) => line.replace(/^jq: error: /, '').replace(/^jq: error \(at [^)]*\):? /, ''))
    .join('\n');
}

function referenceOutcome({ program, input = null, variables = {} }: CorpusCase): Outcome {
  const flags = Object.entries(variables).flatMap(([name, value]) => [
    '--argjson',
    name,
    JSON.stringify(value),
  ]);
  const saved = process.exitCode;
  try {
    const { stdout, stderr, exitCode } = reference.raw(JSON.stringify(input), program, [
      '-c',
      ...flags,
    ]);
    if (exitCode === 0) {
      return { outputs: stdout === '' ? [] : stdout.split('\n').map((line) => JSON.parse(line)) };
    }
    return {
      kind: exitCode === 3 ? 'compile' : 'runtime',
      message: referenceMessage(stderr).trim(),
    };
  } finally {
    process.exitCode = saved;
  }
}

function engineOutcome({ program, input = null, variables = {} }: CorpusCase): Outcome {
  try {
    return { outputs: engine.compile(program, Object.keys(variables)).run(input, variables) };
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    // jq-wasm trims its standard error (`halt_error` writes strings as they are).
    return { kind: error.kind, message: error.message.trim() };
  }
}

describe('the jq engine, against jq-wasm', () => {
  it('has a corpus of at least 80 programs', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(80);
  });

  it.each(corpus.map((c) => [c.program, c] as const))('%s', (_, item) => {
    const ours = engineOutcome(item);
    const theirs = referenceOutcome(item);
    expect(ours).toEqual(theirs);
    // The same key order too: JSON.stringify writes keys in insertion order.
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
  });
});

/**
 * Where the engine and the jq command line (as jq-wasm runs it) differ on purpose or by their
 * platform: each is pinned here so that a change is seen.
 */
describe('the jq engine, where it differs from jq-wasm', () => {
  const both = (program: string, input: unknown = null) => ({
    ours: engineOutcome({ program, input }),
    theirs: referenceOutcome({ program, input }),
  });

  it("gives programs an empty environment, not the server's", () => {
    // jq-wasm shows Emscripten's made-up one (USER=web_user, …); a workflow must see nothing.
    expect(both('$ENV, env').ours).toEqual({ outputs: [{}, {}] });
  });

  it('reads no input file: no file name, no line number, no module search path', () => {
    expect(both('input_filename')).toEqual({
      ours: { outputs: [null] },
      theirs: { outputs: ['/dev/stdin'] },
    });
    expect(both('input_line_number')).toEqual({
      ours: { kind: 'runtime', message: 'Unknown input line number' },
      theirs: { outputs: [0] },
    });
    expect(both('get_search_list').ours).toEqual({ outputs: [[]] });
  });

  it('formats dates with strftime conversions that jq-wasm cannot', () => {
    expect(both('strftime("%c %Z %z")', 1425599507)).toEqual({
      ours: { outputs: ['Thu Mar  5 23:51:47 2015 UTC +0000'] },
      theirs: { kind: 'runtime', message: 'strftime/1: unknown system failure' },
    });
  });

  it('has no %z in strptime (wasi-libc), which jq-wasm has (Emscripten)', () => {
    expect(both('strptime("%H:%M %z")', '10:00 +0200')).toEqual({
      ours: { kind: 'runtime', message: 'date "10:00 +0200" does not match format "%H:%M %z"' },
      theirs: { outputs: [[1970, 0, 1, 10, 0, 0, 4, 0]] },
    });
  });

  it('prints values nested 10,000 deep, where jq-wasm runs out of stack', () => {
    // jq-wasm traps from 3,000 levels on (memory access out of bounds) and is then unusable.
    const program = 'reduce range(10000) as $i (0; [.]) | tojson | length';
    expect(engineOutcome({ program })).toEqual({ outputs: [20001] });
  });
});
