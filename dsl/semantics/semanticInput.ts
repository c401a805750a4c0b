import { createHintBudget } from '../model/nameHints.js';
import type { HintBudget } from '../model/nameHints.js';
import type { ParsedDocument } from '../parse/parseWorkflowText.js';
import { indexTasks } from './taskIndex.js';
import type { TaskIndex } from './taskIndex.js';
import { objectOrEmpty } from './valueShapes.js';
import type { PlainObject } from './valueShapes.js';

/** What every semantic rule reads: the document (for positions), its value, and its tasks. */
export interface SemanticInput {
  document: ParsedDocument;
  workflow: PlainObject;
  index: TaskIndex;
  /**
   * The edit work all "did you mean" hints of this check share: a document of thousands of
   * unresolved names gets hints for as many as the budget allows, then plain messages.
   */
  hintBudget: HintBudget;
}

export function semanticInputOf(document: ParsedDocument): SemanticInput {
  const workflow = objectOrEmpty(document.value);
  return { document, workflow, index: indexTasks(workflow), hintBudget: createHintBudget() };
}
