import type { DslProblem, Severity } from '../problems.js';
import { endpointSitesOf } from './endpointSites.js';
import { shortened } from './nameHints.js';
import { problemAt } from './problemAt.js';
import { isRuntimeExpression } from './runtimeExpression.js';
import type { SemanticInput } from './semanticInput.js';
import { objectOrEmpty } from './valueShapes.js';

export interface TemplateProblem {
  severity: Severity;
  message: string;
}

/** RFC 6570 operators of levels 2 and 3. */
const operators = '+#./;?&';
/** RFC 6570 operators reserved for future extensions. */
const reservedOperators = '=,!@|';
/** RFC 6570 `varname`: varchars (letters, digits, `_`, `%XX`) with single dots between. */
const varname = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*$/;
/** `:` then a max length of 1 to 9999. */
const prefixModifier = /^(.*):([1-9]\d{0,3})$/;
/** Most characters of an expression or a variable quoted in a message. */
const maxQuotedPart = 40;
/** Most characters of an endpoint quoted in a message. */
const maxQuotedUri = 60;

/**
 * `uri` without its userinfo (`https://user:password@host` is `https://***@host`): messages are
 * shown and logged, a password must not be. The authority runs from `//` to the first `/`, `?`
 * or `#`, and the userinfo to its last `@`. Without `scheme://` the value is read as starting
 * with an authority, so that too much is hidden rather than too little.
 */
export function redactUserinfo(uri: string): string {
  const scheme = /^[^/?#]*?:\/\//.exec(uri);
  const start = scheme === null ? 0 : scheme[0].length;
  const rest = uri.slice(start);
  const authorityEnd = rest.search(/[/?#]/);
  const at = (authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)).lastIndexOf('@');
  return at === -1 ? uri : `${uri.slice(0, start)}***${rest.slice(at)}`;
}

/** The endpoint as a message quotes it: without userinfo, shortened. */
function quotedEndpoint(uri: string): string {
  return `'${shortened(redactUserinfo(uri), maxQuotedUri)}'`;
}

/** The problems of one `{…}` expression's body. */
function expressionProblems(body: string, at: number): TemplateProblem[] {
  const where = `{${shortened(body, maxQuotedPart)}} at character ${at + 1}`;
  if (body === '') return [{ severity: 'error', message: `${where} is empty` }];
  const first = body[0] as string;
  if (reservedOperators.includes(first)) {
    return [
      {
        severity: 'error',
        message: `${where} starts with '${first}', an operator RFC 6570 reserves and defines no meaning for`,
      },
    ];
  }
  const problems: TemplateProblem[] = [];
  const variables = operators.includes(first) ? body.slice(1) : body;
  if (operators.includes(first)) {
    problems.push({
      severity: 'warning',
      message: `${where} uses the '${first}' operator, but the spec supports only simple string expansion ({name}); a runtime may leave it unexpanded`,
    });
  }
  for (const spec of variables.split(',')) {
    const name = spec.endsWith('*') ? spec.slice(0, -1) : (prefixModifier.exec(spec)?.[1] ?? spec);
    if (!varname.test(name)) {
      problems.push({
        severity: 'error',
        message: `${where}: '${shortened(spec, maxQuotedPart)}' is not a variable name (letters, digits, _ and %XX, with single dots between, optionally followed by * or :length)`,
      });
    }
  }
  return problems;
}

/**
 * The problems of a URI template's syntax (RFC 6570): braces and what is inside them, one at a
 * time, so that a caller can stop or count without holding all of them.
 */
export function* templateProblems(template: string): Generator<TemplateProblem> {
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '}') {
      yield { severity: 'error', message: `the '}' at character ${i + 1} closes no '{'` };
    } else if (c === '{') {
      const close = template.indexOf('}', i + 1);
      const nested = template.indexOf('{', i + 1);
      if (close === -1) {
        yield { severity: 'error', message: `the '{' at character ${i + 1} is never closed` };
        return;
      }
      if (nested !== -1 && nested < close) {
        yield {
          severity: 'error',
          message: `the '{' at character ${nested + 1} opens inside the expression started at character ${i + 1}`,
        };
        i = close;
        continue;
      }
      const body = template.slice(i + 1, close);
      const found = expressionProblems(body, i);
      if (template[i - 1] === '$' && found.some((p) => p.severity === 'error')) {
        // `https://x.com/${ .id }`: an expression is evaluated only as the whole value.
        yield {
          severity: 'error',
          message: `'\${${shortened(body, maxQuotedPart)}}' at character ${i} is not evaluated inside a URI; make the whole value an expression instead, such as \${ "https://example.com/pets/" + (.id | tostring) }`,
        };
        i = close;
        continue;
      }
      yield* found;
      i = close;
    }
  }
}

/** The problems of a URI template's syntax (RFC 6570), all of them. */
export function uriTemplateProblems(template: string): TemplateProblem[] {
  return [...templateProblems(template)];
}

/**
 * Endpoint URIs are well-formed URI templates. Only the syntax is checked: whether a variable
 * will have a value depends on the task input at run time (the spec fills a missing one with an
 * empty string), which nothing here can know. One problem per endpoint and code, the first, with
 * how many more there are: a mistake repeated across a template is one thing to fix, and each
 * message quotes the endpoint.
 */
export function checkUriTemplates(input: SemanticInput): DslProblem[] {
  const problems: DslProblem[] = [];
  for (const site of endpointSitesOf(input)) {
    const [uri, path] =
      typeof site.value === 'string'
        ? [site.value, site.path]
        : [objectOrEmpty(site.value).uri, [...site.path, 'uri']];
    if (typeof uri !== 'string' || isRuntimeExpression(uri)) continue;
    const first = new Map<Severity, TemplateProblem>();
    const counts = new Map<Severity, number>();
    for (const problem of templateProblems(uri)) {
      if (!first.has(problem.severity)) first.set(problem.severity, problem);
      counts.set(problem.severity, (counts.get(problem.severity) ?? 0) + 1);
    }
    for (const severity of ['error', 'warning'] as const) {
      const problem = first.get(severity);
      if (problem === undefined) continue;
      const more = (counts.get(severity) ?? 1) - 1;
      const rest = more === 0 ? '' : ` (and ${more} more ${severity}${more === 1 ? '' : 's'} here)`;
      problems.push(
        problemAt(input.document, {
          severity,
          code: severity === 'error' ? 'uri-template-invalid' : 'uri-template-unsupported',
          message: `endpoint ${quotedEndpoint(uri)}: ${problem.message}${rest}`,
          path,
        }),
      );
    }
  }
  return problems;
}
