import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { workflowJsonSchema } from '../schema/workflowSchema.js';
import { editorJsonSchema, editorSchemaModeline } from './editorSchema.js';

/** From the CTK's call.feature, "Call HTTP With Content Output". */
const ctkWorkflow = `document:
  dsl: '1.0.3'
  namespace: default
  name: http-call-with-content-output
  version: '1.0.0'
do:
  - findPet:
      call: http
      with:
        method: get
        endpoint:
          uri: https://petstore.swagger.io/v2/pet/findByStatus?status={status}
      output:
        as: .[0]
`;

let compiled: ValidateFunction | undefined;

/** Compiled once: compiling the schema is the slow part. */
function validator(): ValidateFunction {
  // strictTypes only objects to the upstream schema's style (`unevaluatedProperties` without
  // `type: object`); every other strict check stays on.
  if (compiled !== undefined) return compiled;
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  // ajv-formats is CommonJS: under NodeNext its default import is the module, `.default` the plugin.
  formats.default(ajv);
  compiled = ajv.compile(editorJsonSchema());
  return compiled;
}

function valueOf(text: string): unknown {
  const parsed = parseWorkflowText(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.document.value;
}

describe('editorJsonSchema', () => {
  it('is the official schema as JSON, $id and all', () => {
    const schema = editorJsonSchema();
    expect(schema).toEqual(workflowJsonSchema());
    expect(schema.$id).toBe('https://serverlessworkflow.io/schemas/1.0.3/workflow.yaml');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('compiles with ajv 2020 and accepts a CTK workflow', () => {
    const validate = validator();
    expect(validate(valueOf(ctkWorkflow))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('keeps its meaning: an unknown task key and a missing header field are refused', () => {
    const validate = validator();
    const unknownKey = ctkWorkflow.replace('      output:', '      outptu:');
    expect(validate(valueOf(unknownKey))).toBe(false);
    const noVersion = ctkWorkflow.replace("  version: '1.0.0'\n", '');
    expect(validate(valueOf(noVersion))).toBe(false);
  });

  it('hands out a copy each time, so a caller cannot change the shared schema', () => {
    const first = editorJsonSchema();
    first.$id = 'changed';
    expect(editorJsonSchema().$id).toBe(
      'https://serverlessworkflow.io/schemas/1.0.3/workflow.yaml',
    );
    expect(workflowJsonSchema().$id).toBe(
      'https://serverlessworkflow.io/schemas/1.0.3/workflow.yaml',
    );
  });
});

describe('editorSchemaModeline', () => {
  it("writes yaml-language-server's modeline for the URL", () => {
    expect(editorSchemaModeline('https://awp.example.com/schemas/workflow.json')).toBe(
      '# yaml-language-server: $schema=https://awp.example.com/schemas/workflow.json',
    );
  });

  it('refuses a URL that would break the comment', () => {
    expect(() => editorSchemaModeline('https://a.example/x\nmalicious: true')).toThrow(RangeError);
    expect(() => editorSchemaModeline('')).toThrow(RangeError);
  });
});
