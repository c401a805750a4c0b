import type { Draft } from '../drafts/draftStore.js';
import type { Proposal } from '../generation/workflowAuthor.js';

/**
 * What the user reads about a new draft: its state, the summary built from the definition,
 * and what stands between it and approval. Written by the platform, not the model, so a
 * model cannot claim a draft is valid or hide a write.
 */
export function describeProposal(draft: Draft, proposal: Proposal, budget: number): string {
  const lines: string[] = [];
  if (draft.valid) {
    lines.push(`Draft ${draft.draftId} is valid and ready for your approval.`);
  } else if (proposal.exhausted) {
    lines.push(
      `Draft ${draft.draftId} still has ${draft.problems.length} problem(s) after ${budget} repair round(s), so it cannot be approved yet. Tell me what to change, or describe the step differently:`,
    );
    for (const problem of draft.problems.slice(0, 10)) {
      lines.push(`- line ${problem.line}: ${problem.message}`);
    }
  }
  if (draft.openQuestions.length > 0) {
    lines.push(
      `Draft ${draft.draftId} needs ${draft.openQuestions.length} value(s) from you before it can be approved:`,
    );
    for (const open of draft.openQuestions)
      lines.push(`- ${open.question} (line ${open.problem.line})`);
  }
  if (draft.summary) lines.push('', 'What it does:', draft.summary);
  if (draft.sideEffects.length > 0) {
    lines.push('', 'It changes data in your systems:');
    for (const effect of draft.sideEffects) lines.push(`- ${effect.effect}: ${effect.target}`);
  }
  return lines.join('\n');
}
