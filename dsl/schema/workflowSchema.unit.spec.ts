import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { workflowJsonSchema, workflowSchemaPath } from './workflowSchema.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const specSchema = join(
  repoRoot,
  '..',
  'shared',
  'spec',
  'serverless-workflow',
  'workflow.schema.yaml',
);

describe('the vendored workflow schema', () => {
  it('is byte-identical to the specification in ../shared', () => {
    const vendored = readFileSync(join(repoRoot, 'dsl', 'schema', 'workflow.schema.yaml'));
    expect(vendored.equals(readFileSync(specSchema))).toBe(true);
  });

  it('holds the same schema as the specification', () => {
    const spec: unknown = load(readFileSync(specSchema, 'utf8'));
    expect(isDeepStrictEqual(workflowJsonSchema(), spec)).toBe(true);
  });

  it('is the file the loader reads', () => {
    expect(workflowSchemaPath()).toBe(join(repoRoot, 'dsl', 'schema', 'workflow.schema.yaml'));
  });

  it('loads as a draft 2020-12 schema of the Serverless Workflow DSL', () => {
    const schema = workflowJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['document', 'do']);
  });
});
