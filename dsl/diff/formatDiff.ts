import { sortChanges } from './workflowChange.js';
import type { WorkflowDiff } from './workflowChange.js';

const compatibilityWidth = 'compatible'.length;

/**
 * The diff as text for the CLI: one line per change, breaking ones first, in columns
 * `compatibility  kind  path  reason`, each line ending in a newline. An empty diff prints
 * `no changes`.
 */
export function formatDiff(diff: WorkflowDiff): string {
  if (diff.changes.length === 0) return 'no changes\n';
  const changes = sortChanges(diff.changes);
  // A loop, not Math.max(...lengths): spreading 200,000 changes overflows the call stack.
  let kindWidth = 0;
  let pathWidth = 0;
  for (const change of changes) {
    kindWidth = Math.max(kindWidth, change.kind.length);
    pathWidth = Math.max(pathWidth, change.path.length);
  }
  // Capped: one deep schema pointer should not push every other reason off the screen.
  pathWidth = Math.min(40, pathWidth);
  return changes
    .map((change) =>
      [
        change.compatibility.padEnd(compatibilityWidth),
        change.kind.padEnd(kindWidth),
        change.path.padEnd(pathWidth),
        change.reason,
      ].join('  '),
    )
    .map((line) => `${line}\n`)
    .join('');
}
