import type { DslProblem, ParsedDocument } from '../../../dsl/index.js';
import { pointerOf } from '../../../dsl/index.js';

/**
 * The agent's way of saying "I do not know this yet": a string value `<<missing: what is
 * needed>>` where a URL, threshold, schedule or credential would go. Validation reports each one
 * so the draft cannot be approved until the user supplies it, instead of the model inventing a
 * plausible value.
 */
export const placeholderPattern = /<<missing:\s*([^>]{1,300}?)\s*>>/g;

export interface OpenQuestion {
  /** What the agent needs to know, as it wrote it. */
  question: string;
  problem: DslProblem;
}

/** Every placeholder in the document, in document order, located in the source text. */
export function findPlaceholders(document: ParsedDocument): OpenQuestion[] {
  const found: OpenQuestion[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(placeholderPattern)) {
        const question = (match[1] ?? '').trim();
        const { line, column } = document.positionOf(path, 'value');
        found.push({
          question,
          problem: {
            severity: 'error',
            code: 'placeholder',
            message: `a value is still missing: ${question}`,
            path: pointerOf(path),
            line,
            column,
          },
        });
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(document.value, []);
  return found;
}
