import { pointerOf } from '../problems.js';
import { isObject } from './jsonValues.js';

/**
 * Where a workflow refers to its reusable components (`use.*`) by name. One walk of the document
 * finds the references to every name asked about, whatever their number: walking it once per
 * removed entry made removing a few thousand functions take minutes.
 */

export type Section =
  | 'authentications'
  | 'catalogs'
  | 'errors'
  | 'extensions'
  | 'functions'
  | 'retries'
  | 'secrets'
  | 'timeouts';

/** How many places a reason names; counting them all is not needed either. */
const keptPerName = 3;

/** Authentication schemes whose `use` names a secret (not a policy). */
const secretPolicies = new Set(['basic', 'bearer', 'digest', 'oauth2', 'oidc']);

/**
 * `$secrets.name`, `$secrets."name"`, `$secrets["name"]` (or `$secret`, and single quotes). A
 * dotted name is read as jq reads it (an identifier), and also with its hyphens, so a reference
 * to `api-key` is not missed.
 */
const secretReference =
  /\$secrets?\s*(?:\.\s*([A-Za-z0-9_-]+)|\.\s*"([^"\\]*)"|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\])/g;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Names of a section's entries referenced by a node (`key` under `parentKey`, with `value`). */
function namesReferenced(
  section: Section,
  key: string | number | undefined,
  parentKey: string | number | undefined,
  value: unknown,
  longest: number,
): string[] {
  switch (section) {
    case 'functions':
      return key === 'call' && typeof value === 'string' ? [value] : [];
    case 'catalogs':
      return key === 'call' && typeof value === 'string' ? catalogsOf(value, longest) : [];
    case 'errors':
      return key === 'error' && parentKey === 'raise' && typeof value === 'string' ? [value] : [];
    case 'retries':
      return key === 'retry' && typeof value === 'string' ? [value] : [];
    case 'timeouts':
      return key === 'timeout' && typeof value === 'string' ? [value] : [];
    case 'authentications':
      if (key !== 'authentication') return [];
      if (typeof value === 'string') return [value];
      return isObject(value) && typeof value.use === 'string' ? [value.use] : [];
    case 'secrets':
      if (typeof value !== 'string') return [];
      if (key === 'use' && secretPolicies.has(String(parentKey))) return [value];
      return value.includes('$secret') ? secretsIn(value) : [];
    default:
      return [];
  }
}

/** `getPet:1.0.0@petStore` calls into catalog `petStore`: every name after an '@' that fits. */
function catalogsOf(call: string, longest: number): string[] {
  const names: string[] = [];
  for (let at = call.lastIndexOf('@'); at >= 0 && call.length - at - 1 <= longest;) {
    names.push(call.slice(at + 1));
    at = at === 0 ? -1 : call.lastIndexOf('@', at - 1);
  }
  return names;
}

function secretsIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(secretReference)) {
    const [, dotted, dottedQuoted, bracketed, singleQuoted] = match;
    if (dotted !== undefined) {
      names.push(dotted);
      const jqName = identifier.exec(dotted)?.[0];
      if (jqName !== undefined && jqName !== dotted) names.push(jqName);
    } else names.push((dottedQuoted ?? bracketed ?? singleQuoted) as string);
  }
  return names;
}

/**
 * For each section, the pointers (at most three) of the places in `workflow` that refer to each
 * of the `wanted` names. A component's own definition (`use.<section>`) does not count.
 */
export function referencesTo(
  workflow: unknown,
  wanted: ReadonlyMap<Section, ReadonlySet<string>>,
): Map<Section, Map<string, string[]>> {
  const found = new Map<Section, Map<string, string[]>>();
  const sections = [...wanted].filter(([, names]) => names.size > 0);
  if (sections.length === 0) return found;
  let longest = 0;
  for (const name of wanted.get('catalogs') ?? []) longest = Math.max(longest, name.length);
  const path: Array<string | number> = [];
  const visit = (value: unknown) => {
    const own = path[0] === 'use' ? path[1] : undefined;
    for (const [section, names] of sections) {
      if (own === section) continue;
      for (const name of namesReferenced(section, path.at(-1), path.at(-2), value, longest)) {
        if (!names.has(name)) continue;
        const byName = found.get(section) ?? new Map<string, string[]>();
        found.set(section, byName);
        const pointers = byName.get(name) ?? [];
        byName.set(name, pointers);
        if (pointers.length < keptPerName) pointers.push(pointerOf(path));
      }
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        path.push(i);
        visit(item);
        path.pop();
      });
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        path.push(key);
        visit(item);
        path.pop();
      }
    }
  };
  visit(workflow);
  return found;
}
