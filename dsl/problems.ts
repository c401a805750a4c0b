/** What a workflow author is told about a document: one problem per finding, at its source. */
export type Severity = 'error' | 'warning';

export interface DslProblem {
  severity: Severity;
  /** Stable, kebab-case (`yaml-duplicate-key`, `schema-enum`, `then-target-missing`): scripts match on it. */
  code: string;
  /** A sentence for the person who wrote the workflow, never a validator dump. */
  message: string;
  /** JSON pointer of the offending node (`/do/0/checkStock/call`); '' for the whole document. */
  path: string;
  /** 1-based position of the offending node in the source text. */
  line: number;
  column: number;
}

/** `/do/0/checkStock` from ['do', 0, 'checkStock'] (RFC 6901 escaping). */
export function pointerOf(path: readonly (string | number)[]): string {
  return path
    .map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** The segments of a JSON pointer; numeric-looking segments stay strings. */
export function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
