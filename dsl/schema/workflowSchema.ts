import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

/**
 * The official Serverless Workflow JSON Schema, shipped unmodified beside this file (Apache-2.0,
 * see LICENSE.serverless-workflow); a unit test keeps it identical to the spec in ../shared.
 */
export const workflowSchemaFileName = 'workflow.schema.yaml';

/** The schema file's path, from the sources or from the build output (dist/ holds no YAML). */
export function workflowSchemaPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [here, join(here, '..', '..', '..', 'dsl', 'schema')];
  const found = candidates.find((dir) => existsSync(join(dir, workflowSchemaFileName)));
  if (found === undefined) {
    throw new Error(
      `${workflowSchemaFileName} not found beside ${here} or in the package's dsl/schema`,
    );
  }
  return join(found, workflowSchemaFileName);
}

let loaded: Record<string, unknown> | undefined;

/** The schema as a JSON Schema (draft 2020-12) object, read once. Do not mutate it. */
export function workflowJsonSchema(): Record<string, unknown> {
  loaded ??= load(readFileSync(workflowSchemaPath(), 'utf8')) as Record<string, unknown>;
  return loaded;
}
