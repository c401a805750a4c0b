/**
 * One line of block-style YAML, read on its own: enough to recover the document's nesting from
 * indentation without parsing the whole document (see blockOutline.ts for why).
 */
export interface YamlLine {
  /** Column (0-based) of the first character that is not a space. */
  indent: number;
  /** Columns of the `- ` sequence indicators that open the line, outermost first. */
  dashes: number[];
  /** Column where the key, or the scalar, after the dashes begins. */
  contentCol: number;
  /** The mapping key, when the line holds `key:`. */
  key?: string;
  /** The inline text after `key:` (or after the dashes), without a trailing comment; '' if none. */
  value: string;
}

/** A key at `from` in `text`: its name and where the text after its colon begins. */
export function scanKey(text: string, from: number): { key: string; end: number } | undefined {
  const first = text[from];
  if (first === undefined || '{[#&*!|>%@`'.includes(first)) return undefined;
  if (first === '"' || first === "'") {
    const close = closingQuote(text, from);
    if (close < 0) return undefined;
    const colon = close + 1;
    if (text[colon] !== ':' || !endsToken(text, colon + 1)) return undefined;
    const raw = text.slice(from, close + 1);
    return { key: unquote(raw), end: colon + 1 };
  }
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '#' && text[i - 1] === ' ') return undefined;
    if (char === ':' && endsToken(text, i + 1)) {
      return { key: text.slice(from, i).trimEnd(), end: i + 1 };
    }
  }
  return undefined;
}

/** Reads a line; undefined for blank lines, comments, document markers and directives. */
export function readYamlLine(text: string): YamlLine | undefined {
  let i = 0;
  while (text[i] === ' ') i++;
  const indent = i;
  const first = text[i];
  // A tab in the indentation is an error in YAML; such a line tells nothing about nesting.
  if (first === undefined || first === '#' || first === '\r' || first === '\t') return undefined;
  if (indent === 0 && (/^(---|\.\.\.)(\s|$)/.test(text) || first === '%')) return undefined;
  const dashes: number[] = [];
  while (text[i] === '-' && endsToken(text, i + 1)) {
    dashes.push(i);
    i++;
    while (text[i] === ' ') i++;
  }
  const found = scanKey(text, i);
  if (found === undefined) {
    return { indent, dashes, contentCol: i, value: withoutComment(text.slice(i)) };
  }
  return {
    indent,
    dashes,
    contentCol: i,
    key: found.key,
    value: withoutComment(text.slice(found.end)),
  };
}

/**
 * The plain value of an inline scalar under YAML 1.2's core schema; flow collections become an
 * empty object or array (their content is not needed to pick a schema branch).
 */
export function inlineScalar(text: string): unknown {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') {
    return null;
  }
  if (text.startsWith('{')) return {};
  if (text.startsWith('[')) return [];
  if (text.startsWith('"') || text.startsWith("'")) return unquote(text);
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}

/** Whether an inline value leaves the key's content to the following, deeper lines. */
export function opensBlock(value: string): boolean {
  // An anchor or a tag may precede a nested collection: `config: &defaults`.
  return /^((&|!)\S*(\s+|$))*$/.test(value);
}

function endsToken(text: string, at: number): boolean {
  const next = text[at];
  return next === undefined || next === ' ' || next === '\t' || next === '\r';
}

function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] !== quote) continue;
    if (quote === "'" && text[i + 1] === "'") {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

function unquote(raw: string): string {
  const quote = raw[0];
  const close = closingQuote(raw, 0);
  const body = raw.slice(1, close < 0 ? undefined : close);
  if (quote === "'") return body.replace(/''/g, "'");
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

function withoutComment(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith("'")) {
    const close = closingQuote(trimmed, 0);
    return close < 0 ? trimmed : trimmed.slice(0, close + 1);
  }
  if (trimmed.startsWith('#')) return '';
  const hash = trimmed.search(/\s#/);
  return (hash < 0 ? trimmed : trimmed.slice(0, hash)).trimEnd();
}
