import { AwpError } from '../../../contracts/index.js';
import { diffWorkflows, formatDiff, validateWorkflow } from '../../../dsl/index.js';
import type { WorkflowDiff } from '../../../dsl/index.js';
import type { Draft, DraftRequest, DraftStore } from './draftStore.js';

/** The caller's own credentials, forwarded so the workflow domain authorizes the creation itself. */
export interface CallerCredentials {
  authorization?: string;
  /** The embedded profile's `X-AWP-Account`, when that is how the caller authenticated. */
  account?: string;
  /** With it, `X-AWP-User`. */
  user?: string;
}

/**
 * The workflow domain's public API as the agent uses it: create a workflow, or add a version
 * to one. The agent never writes workflow tables or events itself.
 */
export interface WorkflowPublisher {
  publish(request: {
    document: string;
    workflowId?: string;
    /** Recorded on a new workflow as where it came from. */
    sourceConversationId?: string;
    credentials: CallerCredentials;
    correlationId: string;
  }): Promise<{ workflowId: string; version: string }>;
}

/**
 * Approving a draft: only a valid one (no problems, no open placeholders), once. It becomes a
 * new workflow, or a new version of the workflow this conversation approved before (or of the
 * one the caller names).
 */
export async function approveDraft(
  deps: { drafts: DraftStore; publisher: WorkflowPublisher },
  request: DraftRequest & { credentials: CallerCredentials },
  conversationId: string,
  draftId: string,
  target: { workflowId?: string } = {},
): Promise<Draft> {
  const draft = await deps.drafts.get(request.accountId, conversationId, draftId);
  if (draft.status === 'approved') {
    throw new AwpError(
      'conflict',
      `draft '${draftId}' was already approved as workflow '${draft.workflowId}' version ${draft.workflowVersion}`,
    );
  }
  if (!draft.valid) {
    const problems = draft.problems.length;
    const open = draft.openQuestions.length;
    throw new AwpError(
      'illegal_state',
      `draft '${draftId}' cannot be approved: ${problems} problem(s) and ${open} missing value(s) remain (see its problems and openQuestions)`,
    );
  }
  const earlier = (await deps.drafts.list(request.accountId, conversationId)).find(
    (d) => d.status === 'approved' && d.workflowId !== null,
  );
  const workflowId = target.workflowId ?? earlier?.workflowId ?? undefined;
  const published = await deps.publisher.publish({
    document: draft.document,
    ...(workflowId ? { workflowId } : {}),
    sourceConversationId: conversationId,
    credentials: request.credentials,
    correlationId: request.correlationId,
  });
  return deps.drafts.markApproved(request, draft, published);
}

export interface DraftDiff extends WorkflowDiff {
  from: string;
  to: string;
  /** The changes as readable lines (`dsl/` formatDiff). */
  text: string;
}

/** What changed from one draft to another (by default its predecessor), classified by `dsl/`. */
export async function diffDrafts(before: Draft, after: Draft): Promise<DraftDiff> {
  const [a, b] = await Promise.all([
    validateWorkflow(before.document),
    validateWorkflow(after.document),
  ]);
  for (const [draft, report] of [
    [before, a],
    [after, b],
  ] as const) {
    if (!report.workflow) {
      throw new AwpError(
        'illegal_state',
        `draft '${draft.draftId}' does not pass schema validation, so it cannot be compared`,
      );
    }
  }
  const diff = diffWorkflows(a.workflow!, b.workflow!);
  return { ...diff, from: before.draftId, to: after.draftId, text: formatDiff(diff) };
}
