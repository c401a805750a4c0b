import { pointerOf } from '../problems.js';
import { compactValue, deepEqual, isObject } from './jsonValues.js';
import { referencesTo } from './resourceReferences.js';
import type { Section } from './resourceReferences.js';
import type { WorkflowChange } from './workflowChange.js';

/**
 * The workflow's reusable components (`use.*`). A removed entry is breaking when the new version
 * still refers to it: every execution that reaches the reference faults. Removed without a
 * reference, added, or changed entries are compatible: a task that uses a changed entry simply
 * runs with the new definition, like any other configuration change.
 */

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

interface Entry {
  value: unknown;
  /** Where it sits: `['use', 'secrets', 0]`, `['use', 'functions', 'getStock']`. */
  at: Array<string | number>;
  pointer: string;
}

/** A section's entries by name, with their places (secrets and extensions are lists). */
function entriesOf(workflow: unknown, section: Section): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const add = (name: string, value: unknown, at: Entry['at']) =>
    entries.set(name, { value, at, pointer: pointerOf(at) });
  const use = isObject(workflow) && isObject(workflow.use) ? workflow.use : {};
  const value = use[section];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const name =
        typeof item === 'string' ? item : isObject(item) ? Object.keys(item)[0] : undefined;
      if (name !== undefined && !entries.has(name)) {
        add(name, item, ['use', section, i]);
      }
    });
  } else if (isObject(value)) {
    for (const [name, item] of Object.entries(value)) {
      add(name, item, ['use', section, name]);
    }
  }
  return entries;
}

/**
 * Values are shown redacted where they sit (`entry.at`), so that a policy shown on its own is
 * still known for one.
 */
export function resourceChanges(before: unknown, after: unknown): WorkflowChange[] {
  const changes: WorkflowChange[] = [];
  const bySection = sections.map((section) => {
    const was = entriesOf(before, section);
    const now = entriesOf(after, section);
    return { section, was, now, removed: new Set([...was.keys()].filter((n) => !now.has(n))) };
  });
  const references = referencesTo(after, new Map(bySection.map((s) => [s.section, s.removed])));
  for (const { section, was, now, removed } of bySection) {
    const noun = singular[section];
    for (const [name, entry] of was) {
      if (!removed.has(name)) continue;
      const places = references.get(section)?.get(name) ?? [];
      changes.push({
        kind: 'use-removed',
        path: entry.pointer,
        compatibility: places.length > 0 ? 'breaking' : 'compatible',
        reason:
          places.length > 0
            ? `${noun} '${name}' was removed but the new version still refers to it (${places.join(', ')}): every execution that reaches the reference faults`
            : `${noun} '${name}' was removed and nothing in the new version refers to it`,
        before: compactValue(entry.value, entry.at),
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
          after: compactValue(entry.value, entry.at),
        });
      } else if (!deepEqual(old.value, entry.value)) {
        // Its credentials are shown redacted on both sides: say why the two may look alike.
        const hidden = section === 'authentications' ? ' (credentials are not shown)' : '';
        changes.push({
          kind: 'use-changed',
          path: entry.pointer,
          compatibility: 'compatible',
          reason: `${noun} '${name}' changed${hidden}: tasks that use it run with the new definition the next time they start, and no execution loses its place`,
          before: compactValue(old.value, old.at),
          after: compactValue(entry.value, entry.at),
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
      before: compactValue(others(before), ['use']),
      after: compactValue(others(after), ['use']),
    });
  }
  return changes;
}
