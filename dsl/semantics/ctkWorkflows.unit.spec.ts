import { describe, expect, it } from 'vitest';
import { ctkScenarios } from '../../test/support/ctkFeatures.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { checkSemantics } from './checkSemantics.js';

// Read from ../shared at test time (test/support/ctkFeatures.ts), never copied into the repo.
const scenarios = ctkScenarios();

describe('checkSemantics on the conformance kit', () => {
  it('reads every workflow the CTK defines', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(21);
  });

  it.each(scenarios.map((s) => [`${s.feature}: ${s.scenario}`, s.workflow]))(
    '%s has no semantic errors',
    async (_name, workflow) => {
      const parsed = parseWorkflowText(workflow);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      const problems = await checkSemantics(parsed.document);
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    },
  );

  it('warns only where the CTK itself is questionable', async () => {
    const warnings: string[] = [];
    for (const { feature, scenario, workflow } of scenarios) {
      const parsed = parseWorkflowText(workflow);
      if (!parsed.ok) continue;
      for (const p of await checkSemantics(parsed.document)) {
        if (p.severity === 'warning')
          warnings.push(`${feature}: ${scenario}: ${p.code} ${p.line}:${p.column} ${p.message}`);
      }
    }
    expect(warnings).toEqual([]);
  });
});
