import fc from 'fast-check';
import { load, dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ctkScenarios } from '../test/support/ctkFeatures.js';
import { validateWorkflow } from './validateWorkflow.js';
import type { ValidationReport } from './validateWorkflow.js';

const scenarios = ctkScenarios();

/** Every problem points inside the text it was found in. */
function expectPositionsWithin(text: string, report: ValidationReport) {
  const lines = text.split('\n');
  for (const problem of [...report.errors, ...report.warnings]) {
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(Math.max(lines.length, 1));
    expect(problem.message.length).toBeGreaterThan(0);
    expect(problem.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  }
}

describe('validateWorkflow on the conformance kit', () => {
  it('finds all 21 scenarios of the CTK', () => {
    expect(scenarios.length).toBe(21);
  });

  it.each(scenarios.map((s) => [`${s.feature}: ${s.scenario}`, s.workflow]))(
    '%s is a valid workflow',
    async (_name, workflow) => {
      const report = await validateWorkflow(workflow);
      expect(report.errors).toEqual([]);
      expect(report.valid).toBe(true);
      expect(report.workflow?.document.dsl).toMatch(/^1\.0\.\d+$/);
    },
  );

  it('reads the same workflows written as JSON', async () => {
    for (const { workflow } of scenarios) {
      const report = await validateWorkflow(JSON.stringify(load(workflow), null, 2));
      expect(report.errors).toEqual([]);
    }
  });
});

describe('validateWorkflow', () => {
  it('stops at the parser when the text cannot be read', async () => {
    const report = await validateWorkflow('document: [\n');
    expect(report.valid).toBe(false);
    expect(report.errors[0]?.code).toMatch(/^yaml-/);
    expect(report.workflow).toBeUndefined();
  });

  it('reports schema errors before semantic ones', async () => {
    const report = await validateWorkflow(
      [
        'document: {dsl: 1.0.0, namespace: ns, name: wf, version: 1.0.0}',
        'do:',
        '  - a: {set: {x: 1}, then: nowhere}',
        '  - b: {wat: 1}',
      ].join('\n'),
    );
    expect(report.valid).toBe(false);
    expect(report.errors.every((p) => p.code.startsWith('schema-'))).toBe(true);
  });

  it('runs the semantic rules on a schema-valid document', async () => {
    const report = await validateWorkflow(
      [
        'document: {dsl: 1.0.0, namespace: ns, name: wf, version: 1.0.0}',
        'do:',
        '  - a: {set: {x: 1}, then: nowhere}',
      ].join('\n'),
    );
    expect(report.errors.map((p) => [p.code, p.line])).toEqual([['then-target-missing', 3]]);
  });

  it('never throws on mutated CTK workflows, and every problem has a position (property)', async () => {
    const documents = scenarios.map((s) => load(s.workflow) as unknown);
    const junk = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.string({ maxLength: 12 }),
      fc.constant('${ .a | }'),
      fc.constant('${ $nope }'),
      fc.constant('PT'),
      fc.constant('* * *'),
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
    );
    /** A random path into the document, then: delete it, replace it, or add a sibling key. */
    const mutation = fc.record({
      doc: fc.nat(documents.length - 1),
      steps: fc.array(fc.nat(), { minLength: 0, maxLength: 8 }),
      action: fc.constantFrom('delete', 'replace', 'add', 'duplicate'),
      value: junk,
      key: fc.constantFrom('then', 'if', 'call', 'do', 'with', 'extra', 'set', 'switch', 'x'),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ doc, steps, action, value, key }) => {
        const root = structuredClone(documents[doc]) as Record<string, unknown>;
        let node: unknown = root;
        let parent: Record<string | number, unknown> | unknown[] | undefined;
        let slot: string | number | undefined;
        for (const step of steps) {
          if (node === null || typeof node !== 'object') break;
          const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
          if (keys.length === 0) break;
          parent = node as Record<string, unknown>;
          slot = keys[step % keys.length] as string | number;
          node = (parent as Record<string | number, unknown>)[slot];
        }
        if (parent !== undefined && slot !== undefined) {
          const container = parent as Record<string | number, unknown>;
          if (action === 'delete') {
            if (Array.isArray(parent)) parent.splice(slot as number, 1);
            else delete container[slot];
          } else if (action === 'replace') container[slot] = value;
          else if (action === 'duplicate' && Array.isArray(parent)) parent.push(node);
          else if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
            (node as Record<string, unknown>)[key] = value;
          }
        }
        const text = dump(root);
        const report = await validateWorkflow(text);
        expect(report.valid).toBe(report.errors.length === 0);
        expectPositionsWithin(text, report);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('never throws on text cut or garbled anywhere (property)', async () => {
    const texts = scenarios.map((s) => s.workflow);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(texts.length - 1),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 5 }),
        async (which, at, length, insert) => {
          const text = texts[which] as string;
          const from = at % (text.length + 1);
          const garbled = text.slice(0, from) + insert + text.slice(from + (length % 20));
          const report = await validateWorkflow(garbled);
          expectPositionsWithin(garbled, report);
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});
