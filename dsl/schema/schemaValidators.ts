import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { SchemaNode } from './schemaNodes.js';
import { workflowJsonSchema } from './workflowSchema.js';

/** The official schema compiled once per process, and validators for any of its subschemas. */
export interface SchemaValidators {
  /** The schema object ajv compiled; error `parentSchema`s are nodes of it (same identity). */
  root: SchemaNode;
  /** Every error of the whole document (`allErrors`, without `parentSchema`); [] when valid. */
  validateDocument(value: unknown): ErrorObject[];
  /** Every error of `value` against the subschema at `pointer` (`#/$defs/task/oneOf/0`). */
  validateAt(pointer: string, value: unknown): ErrorObject[];
}

let shared: SchemaValidators | undefined;

/**
 * The process-wide validators, compiled on first use (about half a second) and never again.
 *
 * Two compilations of the same schema: explaining a failure needs each error's `parentSchema`
 * (ajv's `verbose`), because ajv restarts `schemaPath` at every referenced definition and so
 * cannot say which definition an error came from. But `verbose` triples the cost of validating
 * a *valid* document (every alternative a `oneOf` rejects builds richer error objects), so the
 * document goes through a plain validator, and only the parts of an invalid one that need it are
 * validated again, verbosely, by subschema validators compiled on first use (a few milliseconds
 * each, reusing the compiled definitions; the verbose schema itself on the first failure).
 */
export function schemaValidators(): SchemaValidators {
  shared ??= createSchemaValidators();
  return shared;
}

function createSchemaValidators(): SchemaValidators {
  const schema = workflowJsonSchema();
  const id = typeof schema.$id === 'string' ? schema.$id : '';
  const newAjv = (verbose: boolean) => {
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose });
    // ajv-formats is CommonJS: under NodeNext its default import is the module object.
    ajvFormats.default(ajv);
    return ajv;
  };
  const plain = newAjv(false).compile(schema);
  let verbose: Ajv2020 | undefined;
  const explaining = () => {
    if (verbose === undefined) {
      verbose = newAjv(true);
      verbose.addSchema(schema);
    }
    return verbose;
  };
  const compiled = new Map<string, ValidateFunction>();
  const run = (validate: ValidateFunction, value: unknown): ErrorObject[] =>
    validate(value) ? [] : [...(validate.errors ?? [])];

  return {
    root: schema,
    validateDocument: (value) => run(plain, value),
    validateAt(pointer, value) {
      let validate = compiled.get(pointer);
      if (validate === undefined) {
        validate = explaining().getSchema(`${id}${pointer}`);
        if (validate === undefined) throw new Error(`the schema has no subschema at ${pointer}`);
        compiled.set(pointer, validate);
      }
      return run(validate, value);
    },
  };
}
