import { agentTopic } from '../../../contracts/index.js';
import type { EventStore } from '../../../contracts/index.js';
import { defaultAgentId, defaultContextTokens } from '../agents/agentConfig.js';
import type { AgentConfigs } from '../agents/agentConfigs.js';
import type { ConnectorCatalog } from '../connectors/catalogOperation.js';
import type { DraftStore } from '../drafts/draftStore.js';
import { summarizeDraft } from '../generation/draftSummary.js';
import { authorReply } from '../generation/workflowAuthor.js';
import type { AuthoredReply } from '../generation/workflowAuthor.js';
import { resolveModelPolicy } from '../llm/modelPolicy.js';
import type { ModelPolicy } from '../llm/modelPolicy.js';
import type { ModelRouter, ModelSwitch, RoutedAnswer } from '../llm/modelRouter.js';
import type { AgentMemory } from '../memory/agentMemory.js';
import { createModelSummarizer } from '../memory/modelSummarizer.js';
import { fitHistory, withSummary } from './historyWindow.js';
import { createMeteredCalls } from './meteredCalls.js';
import type { TurnUsage } from './meteredCalls.js';
import { describeProposal } from './proposalMessage.js';
import { recallForReply } from './replyMemories.js';
import type { ReplyChunk, ReplyRequest, TenantSecretNames } from './replyTypes.js';

export interface AgentRepliesDeps {
  router: ModelRouter;
  /** The platform default from AWP_LLM_*, when one is configured. */
  platformPolicy: ModelPolicy | undefined;
  configs: AgentConfigs;
  catalog: ConnectorCatalog;
  secrets: TenantSecretNames;
  drafts: DraftStore;
  eventStore: EventStore;
  /** Catalog operations put in the prompt (the most relevant). Default 20. */
  promptOperations?: number;
  /** Long-term memory, when an embeddings model is configured; replies work without it. */
  memory?: AgentMemory;
  /** Memories recalled into the prompt. Default 5. */
  recalledMemories?: number;
}

/**
 * The agent's side of a conversation turn: recall what is remembered about the user and the
 * tenant, fit the conversation into the agent's history budget (older turns summarised by the
 * model), stream the model's answer, and when it proposes a workflow, check and repair it,
 * store it as a draft (`DSLGenerated`) with a summary built from the definition, and account
 * the tokens and cost of every call (`AgentResponse`, which the platform meters against the
 * tier's LLM quota).
 */
export class AgentReplies {
  constructor(private readonly deps: AgentRepliesDeps) {}

  async *reply(request: ReplyRequest): AsyncGenerator<ReplyChunk> {
    const { accountId, conversationId } = request;
    const agentId = request.agentId ?? defaultAgentId;
    const agent = await this.deps.configs.resolve(accountId, request.agentId);
    const tenant =
      agentId === defaultAgentId ? agent : await this.deps.configs.find(accountId, defaultAgentId);
    const resolved = resolveModelPolicy({
      agent: agent?.modelPolicy,
      tenant: tenant?.modelPolicy,
      platform: this.deps.platformPolicy,
    });
    const query = request.history
      .filter((turn) => turn.role === 'user')
      .slice(-4)
      .map((turn) => turn.content)
      .join('\n');
    const [searched, operations, secretNames, latest, recalled] = await Promise.all([
      this.deps.catalog.search(accountId, query, this.deps.promptOperations ?? 20),
      this.deps.catalog.operations(accountId),
      this.deps.secrets.names(accountId),
      this.deps.drafts.latest(accountId, conversationId),
      recallForReply(this.deps.memory, request, query, this.deps.recalledMemories),
    ]);

    const calls = createMeteredCalls(this.deps.router, accountId, resolved?.policy);
    const history = await fitHistory(
      request.history,
      agent?.contextTokens ?? defaultContextTokens,
      createModelSummarizer(calls.call),
      request.signal,
    );

    let authored: AuthoredReply | undefined;
    // Everything the user was shown, in order: the recorded message is exactly this.
    let shown = '';
    for await (const event of authorReply(
      withSummary(calls.call, history.summary),
      {
        operations: searched,
        secretNames,
        ...(latest ? { currentDraft: latest.document } : {}),
        ...(agent?.instructions ? { instructions: agent.instructions } : {}),
        ...(recalled.memories.length > 0 ? { memories: recalled.memories } : {}),
      },
      history.turns,
      {
        maxRepairRounds: agent?.maxRepairRounds ?? 3,
        ...(request.signal ? { signal: request.signal } : {}),
      },
    )) {
      if (event.type === 'token') {
        shown += event.text;
        yield { type: 'token', text: event.text };
      } else if (event.type === 'repairing') {
        const note = `\n\n(Checking the draft: ${event.problems.length} problem(s) to fix, repair round ${event.round}.)`;
        shown += note;
        yield { type: 'token', text: note };
      } else authored = event.reply;
    }
    const reply = authored as AuthoredReply;
    // Grounding used the whole catalog; the prompt only the most relevant part of it.
    const metadata: Record<string, unknown> = {};
    let content = shown;
    if (reply.proposal) {
      const summary = reply.proposal.check.workflow
        ? summarizeDraft(reply.proposal.check.workflow, operations)
        : { text: '', sideEffects: [] };
      const draft = await this.deps.drafts.record(request, {
        conversationId,
        previousDraftId: latest?.draftId ?? null,
        agentId,
        document: reply.proposal.document,
        valid: reply.proposal.check.valid,
        problems: reply.proposal.check.repairable,
        openQuestions: reply.proposal.check.openQuestions,
        summary: summary.text,
        sideEffects: summary.sideEffects,
        repairRounds: reply.proposal.repairRounds,
        model: calls.answers.at(-1)?.model ?? 'unknown',
      });
      const described = describeProposal(draft, reply.proposal, agent?.maxRepairRounds ?? 3);
      const block = content ? `\n\n${described}` : described;
      content += block;
      yield { type: 'token', text: block };
      Object.assign(metadata, { draftId: draft.draftId, draftValid: draft.valid });
    }
    const last = calls.answers.at(-1);
    const usage = calls.usage();
    await this.record(request, agentId, content, last, usage, calls.switches);
    yield {
      type: 'final',
      content,
      model: last?.model ?? 'unknown',
      provider: last?.provider ?? 'unknown',
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      metadata: {
        ...metadata,
        costMicroUsd: usage.costMicroUsd,
        policySource: resolved?.source,
        // How the prompt was put together, for whoever wonders why the agent forgot something.
        ...(recalled.status === 'off' ? {} : { memory: recalled.status }),
        ...(recalled.memories.length > 0 ? { memoriesRecalled: recalled.memories.length } : {}),
        ...(history.foldedTurns > 0 ? { summarisedTurns: history.foldedTurns } : {}),
      },
    };
  }

  private async record(
    request: ReplyRequest,
    agentId: string,
    content: string,
    last: RoutedAnswer | undefined,
    usage: TurnUsage,
    switches: readonly ModelSwitch[],
  ): Promise<void> {
    await this.deps.eventStore.append({
      streamId: `agent-replies-${request.conversationId}`,
      expectedVersion: 'any',
      events: [
        ...switches.map((change) => ({
          type: 'ModelSwitched',
          data: {
            agentId,
            conversationId: request.conversationId,
            fromModel: `${change.fromProvider}/${change.fromModel}`,
            toModel: `${change.provider}/${change.toModel}`,
            reason: change.reason,
          },
        })),
        {
          type: 'AgentResponse',
          data: {
            conversationId: request.conversationId,
            messageId: request.userMessageId,
            agentId,
            response: content,
            model: last?.model ?? 'unknown',
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            costMicroUsd: usage.costMicroUsd,
            provider: last?.provider ?? null,
          },
        },
      ],
      metadata: {
        accountId: request.accountId,
        correlationId: request.correlationId,
        causationId: null,
        actor: request.actor,
      },
      topic: agentTopic,
    });
  }
}
