import { workflowJsonSchema } from '../schema/workflowSchema.js';

/*
 * How AWP hands the schema to editors: the API is to serve this object as
 * `application/schema+json` at a stable URL and the CLI to print it, so an editor can point
 * redhat's yaml-language-server at it through `yaml.schemas` or through the modeline below.
 *
 * It is the official schema, unchanged in meaning and keeping its `$id`, so the URL AWP serves
 * and the upstream schema identify the same thing. It is draft 2020-12: yaml-language-server
 * implements draft 7 and ignores `unevaluatedProperties` (redhat-developer/vscode-yaml#1122), so
 * such an editor misses unknown keys; AWP's own validator (ajv 2020) and `completionsAt` do not.
 */

let serialized: string | undefined;

/** The workflow JSON Schema for YAML language servers: a fresh copy of the official one. */
export function editorJsonSchema(): Record<string, unknown> {
  // JSON round trip: proves the YAML-loaded schema is plain JSON, and a copy per call keeps a
  // caller that mutates (or freezes) its schema away from the one the validator shares.
  serialized ??= JSON.stringify(workflowJsonSchema());
  return JSON.parse(serialized) as Record<string, unknown>;
}

/**
 * The first-line comment that binds a YAML file to the schema at `url` in yaml-language-server.
 * A URL holding whitespace would end the comment early, so it is refused.
 */
export function editorSchemaModeline(url: string): string {
  if (url === '' || /\s/.test(url)) {
    throw new RangeError(`'${url}' is not usable as a schema URL in a modeline`);
  }
  return `# yaml-language-server: $schema=${url}`;
}
