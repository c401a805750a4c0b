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
}

export function semanticInputOf(document: ParsedDocument): SemanticInput {
  const workflow = objectOrEmpty(document.value);
  return { document, workflow, index: indexTasks(workflow) };
}
