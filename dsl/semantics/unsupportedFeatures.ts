import type { JsonPath } from '../model/taskLists.js';
import { runKinds } from '../model/workflowModel.js';
import type { RunKind } from '../model/workflowModel.js';
import type { DslProblem } from '../problems.js';
import { quotedName } from './nameHints.js';
import { problemAt } from './problemAt.js';
import { builtInCallKinds } from './resourceReferences.js';
import type { SemanticInput } from './semanticInput.js';
import { describeTask, fieldsOf } from './taskIndex.js';
import { objectOrEmpty } from './valueShapes.js';

export interface FeatureSupport {
  allowedRunKinds: readonly RunKind[];
  supportedCallKinds: readonly string[];
}

/** `a, b and c`, or `none`. */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'none';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * What the spec defines but this platform does not run is refused when the workflow is checked,
 * not when a run reaches it: `run` processes an operator has not enabled, built-in calls the
 * engine does not implement, and expression languages other than jq.
 */
export function checkUnsupportedFeatures(
  { document, workflow, index }: SemanticInput,
  support: FeatureSupport,
): DslProblem[] {
  const problems: DslProblem[] = [];
  const unsupported = (message: string, path: JsonPath, at: 'key' | 'value') =>
    problems.push(
      problemAt(document, { severity: 'error', code: 'feature-unsupported', message, path, at }),
    );

  for (const entry of index.tasks) {
    const task = fieldsOf(entry);
    const who = describeTask(entry, index);
    if (entry.kind === 'run') {
      const run = objectOrEmpty(task.run);
      for (const kind of runKinds) {
        if (run[kind] === undefined || support.allowedRunKinds.includes(kind)) continue;
        unsupported(
          `${who}: run: ${kind} is disabled on this platform (allowed: ${listed(support.allowedRunKinds)}); an operator can enable it with AWP_DSL_ALLOW_RUN, for example AWP_DSL_ALLOW_RUN=shell,container,script`,
          [...entry.path, 'run', kind],
          'key',
        );
      }
    }
    if (entry.kind === 'call' && typeof task.call === 'string') {
      const call = task.call;
      if (
        (builtInCallKinds as readonly string[]).includes(call) &&
        !support.supportedCallKinds.includes(call)
      ) {
        unsupported(
          `${who}: call: ${call} is not supported by this platform's engine, which runs call: ${listed(support.supportedCallKinds)} and calls to functions in use.functions`,
          [...entry.path, 'call'],
          'value',
        );
      }
    }
  }

  const language = objectOrEmpty(workflow.evaluate).language;
  if (typeof language === 'string' && language !== 'jq') {
    unsupported(
      `evaluate.language: ${quotedName(language)} is not supported; this platform evaluates runtime expressions with jq only`,
      ['evaluate', 'language'],
      'value',
    );
  }
  return problems;
}
