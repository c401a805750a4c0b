import { compareChanges } from './workflowChange.js';
import type { WorkflowDiff } from './workflowChange.js';

const compatibilityWidth = 'compatible'.length;

/**
 * The diff as text for the CLI: one line per change, breaking ones first, in columns
 * `compatibility  kind  path  reason`, each line ending in a newline. An empty diff prints
 * `no changes`.
 */
export function formatDiff(diff: WorkflowDiff): string {
  if (diff.changes.length === 0) return 'no changes\n';
  const changes = [...diff.changes].sort(compareChanges);
  const kindWidth = Math.max(...changes.map((change) => change.kind.length));
  // Capped: one deep schema pointer should not push every other reason off the screen.
  const pathWidth = Math.min(40, Math.max(...changes.map((change) => change.path.length)));
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
