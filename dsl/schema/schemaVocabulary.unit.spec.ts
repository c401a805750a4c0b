import { describe, expect, it } from 'vitest';
import { compositeOf, nodeAt } from './schemaNodes.js';
import {
  alternativesPhrases,
  definitionPhrases,
  formatPhrases,
  patternPhrases,
} from './schemaVocabulary.js';
import { workflowJsonSchema } from './workflowSchema.js';

/** Every value of `keyword` anywhere in the schema. */
function valuesOf(keyword: string): string[] {
  const found = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === keyword && typeof child === 'string') found.add(child);
      else visit(child);
    }
  };
  visit(workflowJsonSchema());
  return [...found];
}

// A schema update that adds a pattern or format would otherwise surface as a raw regular
// expression in a message: these tests say which phrase to add.
describe('the schema vocabulary', () => {
  it('has a phrase for every pattern in the schema', () => {
    expect(valuesOf('pattern').filter((pattern) => !(pattern in patternPhrases))).toEqual([]);
  });

  it('has a phrase for every format in the schema', () => {
    expect(valuesOf('format').filter((format) => !(format in formatPhrases))).toEqual([]);
  });

  it('describes alternatives of oneOf/anyOf nodes that exist', () => {
    const schema = workflowJsonSchema();
    const missing = Object.keys(alternativesPhrases).filter(
      (pointer) => compositeOf(nodeAt(schema, pointer) ?? true) === undefined,
    );
    expect(missing).toEqual([]);
  });

  it('describes definitions that exist', () => {
    const schema = workflowJsonSchema();
    const missing = Object.keys(definitionPhrases).filter(
      (pointer) => nodeAt(schema, pointer) === undefined,
    );
    expect(missing).toEqual([]);
  });
});
