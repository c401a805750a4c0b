import { pointerOf } from '../problems.js';
import { compactValue, deepEqual, isObject } from './jsonValues.js';
import type { WorkflowChange } from './workflowChange.js';

/**
 * The workflow's reusable components (`use.*`). A removed entry is breaking when the new version
 * still refers to it: every execution that reaches the reference faults. Removed without a
 * reference, added, or changed entries are compatible: a task that uses a changed entry simply
 * runs with the new definition, like any other configuration change.
 */

type Section =
  | 'authentications'
  | 'catalogs'
  | 'errors'
  | 'extensions'
  | 'functions'
  | 'retries'
  | 'secrets'
  | 'timeouts';

const sections: Section[] = [
  'authentications',
  'catalogs',
  'errors',
  'extensions',
  'functions',
  'retries',
  'secrets',
  'timeouts',
];

const singular: Record<Section, string> = {
  authentications: 'authentication policy',
  catalogs: 'catalog',
  errors: 'error',
  extensions: 'extension',
  functions: 'function',
  retries: 'retry policy',
  secrets: 'secret',
  timeouts: 'timeout',
};

/** A section's entries by name, with their pointers (secrets and extensions are lists). */
function entriesOf(
  workflow: unknown,
  section: Section,
): Map<string, { value: unknown; pointer: string }> {
  const entries = new Map<string, { value: unknown; pointer: string }>();
  const use = isObject(workflow) && isObject(workflow.use) ? workflow.use : {};
  const value = use[section];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const name =
        typeof item === 'string' ? item : isObject(item) ? Object.keys(item)[0] : undefined;
      if (name !== undefined && !entries.has(name)) {
        entries.set(name, { value: item, pointer: pointerOf(['use', section, i]) });
      }
    });
  } else if (isObject(value)) {
    for (const [name, item] of Object.entries(value)) {
      entries.set(name, { value: item, pointer: pointerOf(['use', section, name]) });
    }
  }
  return entries;
}

/** Authentication schemes whose `use` names a secret (not a policy). */
const secretPolicies = new Set(['basic', 'bearer', 'digest', 'oauth2', 'oidc']);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the node at `path` (with `value`) refers to entry `name` of `section`. */
function refersTo(section: Section, name: string, path: Array<string | number>, value: unknown) {
  const key = path.at(-1);
  const parentKey = path.at(-2);
  switch (section) {
    case 'functions':
      return key === 'call' && value === name;
    case 'catalogs':
      return key === 'call' && typeof value === 'string' && value.endsWith(`@${name}`);
    case 'errors':
      return key === 'error' && parentKey === 'raise' && value === name;
    case 'retries':
      return key === 'retry' && value === name;
    case 'timeouts':
      return key === 'timeout' && value === name;
    case 'authentications':
      return (
        key === 'authentication' && (value === name || (isObject(value) && value.use === name))
      );
    case 'secrets': {
      // `$secrets.name` / `$secrets["name"]` in expressions, or `{ use: name }` in a policy.
      const quotedName = `["']${escapeRegExp(name)}["']`;
      const inExpression = new RegExp(
        `\\$secrets?(\\.${escapeRegExp(name)}\\b|\\[\\s*${quotedName}\\s*\\])`,
      );
      if (typeof value === 'string') return inExpression.test(value);
      return key === 'use' && value === name && secretPolicies.has(String(parentKey));
    }
    default:
      return false;
  }
}

/** Pointers of the places in `workflow` that refer to `use.<section>.<name>`. */
function referencesTo(workflow: unknown, section: Section, name: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: Array<string | number>) => {
    if (path[0] === 'use' && path[1] === section) return; // the definition itself
    if (refersTo(section, name, path, value)) found.push(pointerOf(path));
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(workflow, []);
  return found;
}

export function resourceChanges(before: unknown, after: unknown): WorkflowChange[] {
  const changes: WorkflowChange[] = [];
  for (const section of sections) {
    const was = entriesOf(before, section);
    const now = entriesOf(after, section);
    const noun = singular[section];
    for (const [name, entry] of was) {
      if (now.has(name)) continue;
      const references = referencesTo(after, section, name);
      changes.push({
        kind: 'use-removed',
        path: entry.pointer,
        compatibility: references.length > 0 ? 'breaking' : 'compatible',
        reason:
          references.length > 0
            ? `${noun} '${name}' was removed but the new version still refers to it (${references.slice(0, 3).join(', ')}): every execution that reaches the reference faults`
            : `${noun} '${name}' was removed and nothing in the new version refers to it`,
        before: compactValue(entry.value),
      });
    }
    for (const [name, entry] of now) {
      const old = was.get(name);
      if (old === undefined) {
        changes.push({
          kind: 'use-added',
          path: entry.pointer,
          compatibility: 'compatible',
          reason: `${noun} '${name}' was added; nothing that worked before depends on it`,
          after: compactValue(entry.value),
        });
      } else if (!deepEqual(old.value, entry.value)) {
        changes.push({
          kind: 'use-changed',
          path: entry.pointer,
          compatibility: 'compatible',
          reason: `${noun} '${name}' changed: tasks that use it run with the new definition the next time they start, and no execution loses its place`,
          before: compactValue(old.value),
          after: compactValue(entry.value),
        });
      }
    }
  }
  const others = (workflow: unknown) => {
    const use = isObject(workflow) && isObject(workflow.use) ? workflow.use : {};
    return Object.fromEntries(
      Object.entries(use).filter(([key]) => !(sections as string[]).includes(key)),
    );
  };
  if (!deepEqual(others(before), others(after))) {
    changes.push({
      kind: 'use-changed',
      path: '/use',
      compatibility: 'compatible',
      reason: 'reusable components AWP does not interpret changed',
      before: compactValue(others(before)),
      after: compactValue(others(after)),
    });
  }
  return changes;
}
