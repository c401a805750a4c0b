/**
 * The jq programs that check runtime expressions by compiling them, never running them, and the
 * reading of jq's error output. Pure: the engine that runs jq is `jqEngine.ts`.
 */

import { shortened } from './nameHints.js';

/** The arguments the spec provides to every expression (dsl.md, Runtime expression arguments). */
export const runtimeArguments = [
  'context',
  'input',
  'output',
  'secrets',
  'authorization',
  'task',
  'workflow',
  'runtime',
] as const;

export interface ExpressionToCompile {
  expression: string;
  /** Variables bound beyond the runtime arguments (valid jq names). */
  variables: readonly string[];
}

/**
 * `empty as $context | null as $input | … |`: binds every argument so that an undefined `$var`
 * is a compile error, and starts from `empty` so that nothing after it is ever evaluated.
 */
const preamble = runtimeArguments
  .map((name, i) => `${i === 0 ? 'empty' : 'null'} as $${name} |`)
  .join(' ');

const bindings = (variables: readonly string[]) =>
  variables.map((name) => `null as $${name} |`).join(' ');

/**
 * One expression on its own, from line 2. Nothing follows the expression, so no text in it
 * (a stray `)`, a trailing comment) can escape the wrapper: what compiles here compiles alone.
 */
export function standaloneProgram({ expression, variables }: ExpressionToCompile): string {
  return `${preamble} ${bindings(variables)}\n${expression}`;
}

/** Lines of the standalone program before the expression. */
export const standaloneOffset = 1;

export interface BatchProgram {
  text: string;
  /** The lines (1-based, inclusive) each item occupies, wrapper included. */
  ranges: Array<{ first: number; last: number }>;
}

/**
 * Many expressions in one program, each in parentheses on lines of its own with its variables
 * bound inside, so that jq builds its builtins once and its error lines say which one failed.
 * Only for expressions whose brackets balance (`bracketsBalance`): an unbalanced one could close
 * the wrapper's parenthesis and compile here while failing alone.
 */
export function batchProgram(items: readonly ExpressionToCompile[]): BatchProgram {
  const parts = [preamble];
  const ranges: BatchProgram['ranges'] = [];
  let line = 2;
  items.forEach((item, i) => {
    const height = item.expression.split('\n').length;
    parts.push(`(${bindings(item.variables)}`, item.expression, i < items.length - 1 ? '),' : ')');
    ranges.push({ first: line, last: line + height + 1 });
    line += height + 2;
  });
  return { text: parts.join('\n'), ranges };
}

/**
 * Whether `(`, `[`, `{` and string interpolations `\( … )` close in order outside strings and
 * comments, and every string ends: then the expression cannot reach outside its parentheses.
 */
export function bracketsBalance(expression: string): boolean {
  const expected: string[] = [];
  let inString = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (inString) {
      if (c === '\\') {
        if (expression[i + 1] === '(') {
          expected.push('interpolation');
          inString = false;
        }
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '#') {
      const end = expression.indexOf('\n', i);
      if (end === -1) break;
      i = end;
    } else if (c === '"') {
      inString = true;
    } else if (c === '(') {
      expected.push(')');
    } else if (c === '[') {
      expected.push(']');
    } else if (c === '{') {
      expected.push('}');
    } else if (c === ')' || c === ']' || c === '}') {
      const open = expected.pop();
      if (open === 'interpolation' && c === ')') inString = true;
      else if (open !== c) return false;
    }
  }
  return !inString && expected.length === 0;
}

export interface JqError {
  message: string;
  /** The program line jq blames, when it says. */
  line?: number;
}

/** jq's token names, as an author would say them. */
const tokenWords: Array<[RegExp, string]> = [
  [
    /, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END/,
    ' (an unterminated string?)',
  ],
  [/\bINVALID_CHARACTER\b/g, 'character'],
  [/\bQQSTRING_START\b/g, 'string'],
  [/\bIDENT\b/g, 'identifier'],
  [/\bFIELD\b/g, 'field'],
  [/\bLITERAL\b/g, 'literal'],
  [/\bFORMAT\b/g, 'format'],
  [/\bBINDING\b/g, '$variable'],
];

/** The errors in jq's stderr, without its wrapper text, source echo and error count. */
export function jqErrorsOf(stderr: string): JqError[] {
  const errors: JqError[] = [];
  for (const raw of stderr.split('\n')) {
    const found = /^jq: error(?: \([^)]*\))?: (.*)$/.exec(raw.trim());
    if (found === null) continue;
    let message = (found[1] as string).replace(' (Unix shell quoting issues?)', '');
    const located = / at <(?:top-level|unknown)>, line (\d+):?$/.exec(message);
    if (located !== null) message = message.slice(0, located.index);
    for (const [pattern, words] of tokenWords) message = message.replace(pattern, words);
    errors.push({ message, ...(located ? { line: Number(located[1]) } : {}) });
  }
  if (errors.length === 0 && stderr.trim() !== '') {
    errors.push({ message: (stderr.trim().split('\n')[0] as string).replace(/^jq: /, '') });
  }
  return errors;
}

/** Most of jq's messages a failure quotes, and most characters of each. */
const maxMessagesShown = 5;
const maxMessageLength = 200;

/**
 * A sentence for an expression that failed alone (`standaloneProgram`): jq's first messages, each
 * with its line within the expression when it spans several, and the variables in scope when one
 * is undefined.
 */
export function describeFailure(stderr: string, item: ExpressionToCompile): string {
  const multiline = item.expression.includes('\n');
  const errors = jqErrorsOf(stderr);
  const messages = errors.map(({ message, line }) => {
    const within = line === undefined ? undefined : line - standaloneOffset;
    return multiline && within !== undefined && within >= 1
      ? `${message} (line ${within} of the expression)`
      : message;
  });
  const unique = [...new Set(messages)];
  // An expression naming hundreds of undefined things gets hundreds of errors: the first few
  // say what is wrong, and the message stays a sentence.
  const shown = unique
    .slice(0, maxMessagesShown)
    .map((message) => shortened(message, maxMessageLength));
  // The engine keeps only the start of a long error output, and jq's count of all the errors.
  const total = Number(/^jq: (\d+) compile errors?$/m.exec(stderr)?.[1] ?? 0);
  if (total > errors.length) shown.push(`and more (jq found ${total} errors)`);
  else if (unique.length > shown.length) shown.push(`and ${unique.length - shown.length} more`);
  let text = shown.length > 0 ? shown.join('; ') : 'jq rejected it';
  if (unique.some((m) => /^\$\S+ is not defined/.test(m))) {
    const known = [...runtimeArguments, ...item.variables].map((name) => `$${name}`).join(', ');
    text += ` (variables here: ${known})`;
  }
  return text;
}
