import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import type { ExecutionHost } from './executionHost.js';
import { standardError } from './workflowError.js';

interface SchemaSpec {
  format?: string;
  document?: unknown;
  resource?: { endpoint: string | { uri: string } };
}

/**
 * `input.schema`, `output.schema` and `export.schema`: JSON Schema checks that fault with the
 * spec's validation error (400) naming what did not conform. Compiled once per schema object.
 */
export class SchemaValidator {
  // Created on first use: most workflows declare no schema, and an Ajv instance is not free.
  // One per execution, so a schema `$id` of one tenant can never resolve in another's.
  private ajv: Ajv2020 | undefined;
  private readonly compiled = new WeakMap<object, ValidateFunction>();
  private readonly loaded = new Map<string, ValidateFunction>();

  async check(
    schema: unknown,
    value: unknown,
    at: string,
    what: string,
    host: ExecutionHost,
    signal: AbortSignal,
  ): Promise<void> {
    if (schema === undefined || schema === null) return;
    const validate = await this.validatorFor(schema as SchemaSpec, at, host, signal);
    if (validate(value)) return;
    const first = validate.errors?.[0];
    const where = first?.instancePath ? `at '${first.instancePath}' ` : '';
    throw standardError(
      'validation',
      'Schema validation failed',
      `${what} does not match its schema: ${where}${first?.message ?? 'invalid'}`,
      { instance: at },
    );
  }

  private async validatorFor(
    spec: SchemaSpec,
    at: string,
    host: ExecutionHost,
    signal: AbortSignal,
  ): Promise<ValidateFunction> {
    const format = (spec.format ?? 'json').split(':')[0];
    if (format !== 'json') {
      throw standardError(
        'configuration',
        'Unsupported schema format',
        `schemas in '${spec.format}' are not supported; use json`,
        {
          instance: at,
        },
      );
    }
    if (spec.document !== undefined) {
      const document = spec.document as object;
      let validate = this.compiled.get(document);
      if (!validate) {
        validate = this.compile(document, at);
        this.compiled.set(document, validate);
      }
      return validate;
    }
    const endpoint = spec.resource?.endpoint;
    const uri = typeof endpoint === 'string' ? endpoint : endpoint?.uri;
    if (!uri) {
      throw standardError(
        'configuration',
        'Invalid schema',
        'a schema needs a document or a resource',
        { instance: at },
      );
    }
    let validate = this.loaded.get(uri);
    if (!validate) {
      validate = this.compile((await host.loadDocument(uri, {}, signal)) as object, at);
      this.loaded.set(uri, validate);
    }
    return validate;
  }

  private compile(document: object, at: string): ValidateFunction {
    try {
      this.ajv ??= new Ajv2020({ allErrors: false, strict: false, validateFormats: false });
      return this.ajv.compile(document);
    } catch (error) {
      throw standardError('configuration', 'Invalid schema', (error as Error).message, {
        instance: at,
      });
    }
  }
}
