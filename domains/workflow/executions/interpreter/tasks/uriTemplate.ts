import { standardError } from '../workflowError.js';

/**
 * The DSL's limited RFC 6570: `{name}` is replaced by the top-level property `name` of the
 * task input, percent-encoded; a missing one becomes empty; objects and arrays are an error.
 */
export function expandUriTemplate(template: string, input: unknown, at: string): string {
  return template.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const value =
      typeof input === 'object' && input !== null && Object.hasOwn(input, name)
        ? (input as Record<string, unknown>)[name]
        : undefined;
    if (value === undefined || value === null) return '';
    if (typeof value === 'object') {
      throw standardError(
        'expression',
        'Invalid URI template value',
        `'{${name}}' must be a string, number or boolean`,
        {
          instance: at,
        },
      );
    }
    return encodeUnreserved(String(value));
  });
}

/** RFC 6570 simple expansion: everything but the unreserved characters is percent-encoded. */
function encodeUnreserved(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
