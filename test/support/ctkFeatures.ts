import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';

/**
 * The Serverless Workflow conformance test kit, read where ARCHITECTURE.md keeps it
 * (`../shared/spec/serverless-workflow/ctk/` beside the repository), never copied into the repo.
 */
export const ctkDirectory = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'shared',
  'spec',
  'serverless-workflow',
  'ctk',
);

export interface CtkStep {
  keyword: string;
  text: string;
  /** The step's doc string (a workflow definition, an input, an expected output), if any. */
  docString?: string;
}

export interface CtkScenario {
  feature: string;
  scenario: string;
  /** The YAML of "Given a workflow with definition:". */
  workflow: string;
  steps: CtkStep[];
}

/** Every scenario of every feature file, parsed with the official Gherkin parser. */
export function ctkScenarios(): CtkScenario[] {
  const parser = new Parser(
    new AstBuilder(IdGenerator.incrementing()),
    new GherkinClassicTokenMatcher(),
  );
  const scenarios: CtkScenario[] = [];
  for (const file of readdirSync(ctkDirectory)
    .filter((f) => f.endsWith('.feature'))
    .sort()) {
    const document = parser.parse(readFileSync(join(ctkDirectory, file), 'utf8'));
    for (const child of document.feature?.children ?? []) {
      const scenario = child.scenario;
      if (scenario === undefined) continue;
      const steps = scenario.steps.map((step) => ({
        keyword: step.keyword.trim(),
        text: step.text,
        ...(step.docString ? { docString: step.docString.content } : {}),
      }));
      const definition = steps.find((step) => step.text.startsWith('a workflow with definition'));
      if (definition?.docString === undefined) continue;
      scenarios.push({
        feature: file,
        scenario: scenario.name,
        workflow: definition.docString,
        steps,
      });
    }
  }
  return scenarios;
}
