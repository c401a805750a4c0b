import { CronExpressionParser } from 'cron-parser';
import type { DslProblem } from '../problems.js';
import { shortened } from './nameHints.js';
import { problemAt } from './problemAt.js';
import type { SemanticInput } from './semanticInput.js';
import { objectOrEmpty } from './valueShapes.js';

/** Why `expression` is not a cron schedule, or undefined when it is one. */
export function cronProblemOf(expression: string): string | undefined {
  const trimmed = expression.trim();
  // cron-parser fills in missing fields (`* * *`, even ''): an author who wrote three fields
  // meant something else, so the field count is checked first.
  if (!trimmed.startsWith('@')) {
    const fields = trimmed === '' ? 0 : trimmed.split(/\s+/).length;
    if (fields !== 5 && fields !== 6) {
      return `it has ${fields} field${fields === 1 ? '' : 's'}; a cron expression has 5 (minute hour day-of-month month day-of-week), or 6 with seconds first`;
    }
  }
  try {
    CronExpressionParser.parse(trimmed);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** `schedule.cron` is a cron expression cron-parser accepts. */
export function checkCronSchedules({ document, workflow }: SemanticInput): DslProblem[] {
  const cron = objectOrEmpty(workflow.schedule).cron;
  if (typeof cron !== 'string') return [];
  const problem = cronProblemOf(cron);
  if (problem === undefined) return [];
  return [
    problemAt(document, {
      severity: 'error',
      code: 'cron-invalid',
      message: `schedule.cron: '${shortened(cron, 60)}' is not a valid cron expression: ${problem}`,
      path: ['schedule', 'cron'],
    }),
  ];
}
