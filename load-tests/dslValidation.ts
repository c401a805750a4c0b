import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { load } from 'js-yaml';
import { completionsAt, tasksOf, validateWorkflow } from '../dsl/index.js';
import { workflowJsonSchema } from '../dsl/schema/workflowSchema.js';
import { generatedWorkflow } from './generatedWorkflow.js';
import { fmt, percentile } from './serverProcess.js';

const rounds = 30;
const warmUp = 10;

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const p95 = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    95,
  );

/**
 * Validation of a generated 500-task workflow, split into parse, schema and semantic time, next
 * to ajv validating the same (already parsed) document with the same official schema. Then the
 * peak memory of parsing hazardous inputs, each in a fresh process beside an idle one.
 */
export async function dslValidationBenchmark(): Promise<void> {
  const text = generatedWorkflow(500);
  const value = load(text) as unknown;
  const tasks = tasksOf(value).length;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  ajvFormats.default(ajv);
  const compileStart = performance.now();
  const ajvValidate = ajv.compile(workflowJsonSchema());
  const compileMs = performance.now() - compileStart;

  const coldStart = performance.now();
  const cold = await validateWorkflow(text);
  const coldMs = performance.now() - coldStart;
  if (!cold.valid) throw new Error(`generated workflow invalid: ${JSON.stringify(cold.errors[0])}`);

  const totals: number[] = [];
  const parses: number[] = [];
  const schemas: number[] = [];
  const semantics: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < warmUp + rounds; i++) {
    const started = performance.now();
    const report = await validateWorkflow(text);
    const total = performance.now() - started;
    const ajvStart = performance.now();
    if (!ajvValidate(value)) throw new Error('ajv refused the generated workflow');
    const ajvMs = performance.now() - ajvStart;
    if (i < warmUp) continue;
    totals.push(total);
    parses.push(report.timings.parseMs);
    schemas.push(report.timings.schemaMs);
    semantics.push(report.timings.semanticMs);
    baseline.push(ajvMs);
  }

  console.log(
    `\n## DSL validation: generated workflow, ${tasks} tasks, ${(text.length / 1024).toFixed(0)} KiB YAML, ${rounds} rounds after ${warmUp} warm-up (target < 50 ms)`,
  );
  console.log('| measure | median (ms) | p95 (ms) |');
  console.log('|---|---:|---:|');
  const row = (label: string, xs: number[]) =>
    console.log(`| ${label} | ${fmt(median(xs), 2)} | ${fmt(p95(xs), 2)} |`);
  row('**validateWorkflow, whole pipeline**', totals);
  row('parse (YAML with positions)', parses);
  row('official schema (ajv) + error mapping', schemas);
  row('semantic rules (incl. jq compile, cached)', semantics);
  row('baseline: ajv alone on the parsed document', baseline);
  console.log(
    `| first validation in this process (schema compile, jq start, empty caches) | ${fmt(coldMs, 1)} | |`,
  );
  console.log(`| baseline: ajv compiling the official schema | ${fmt(compileMs, 1)} | |`);

  // The same size of document with expressions never seen before: no compile cache helps.
  const fresh: number[] = [];
  const freshSemantics: number[] = [];
  for (let variant = 1; variant <= rounds; variant++) {
    const other = generatedWorkflow(500, variant);
    const started = performance.now();
    const report = await validateWorkflow(other);
    fresh.push(performance.now() - started);
    freshSemantics.push(report.timings.semanticMs);
  }
  row('validateWorkflow, new expressions every round', fresh);
  row('of which semantic rules (all expressions compiled by jq)', freshSemantics);

  // The editor asks on every keystroke: a cursor on a new key line inside the last task.
  const lines = text.split('\n');
  const cursor = { line: lines.length - 1, column: (lines.at(-2)?.search(/\S/) ?? 0) + 1 };
  const completions: number[] = [];
  for (let i = 0; i < warmUp + rounds * 10; i++) {
    const started = performance.now();
    completionsAt(text, cursor);
    if (i >= warmUp) completions.push(performance.now() - started);
  }
  console.log(
    `| completionsAt on the same document (an editor asks on each keystroke) | ${fmt(median(completions), 2)} | ${fmt(p95(completions), 2)} |`,
  );

  console.log('\n### Peak RSS of a fresh process parsing hazardous input (MiB)');
  console.log('| input | peak RSS | outcome |');
  console.log('|---|---:|---|');
  for (const input of ['idle', 'alias-bomb', 'one-mib', 'over-limit', 'deep-nesting']) {
    const probe = fileURLToPath(new URL('./dslMemoryProbe.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--import', 'tsx', probe, input], {
      encoding: 'utf8',
    });
    const result = JSON.parse(output.trim().split('\n').at(-1) as string) as {
      peakRssMiB: number;
      outcome: string;
    };
    console.log(`| ${input} | ${fmt(result.peakRssMiB, 0)} | ${result.outcome} |`);
  }
}
