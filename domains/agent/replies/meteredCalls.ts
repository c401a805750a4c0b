import type { ModelCall } from '../generation/workflowAuthor.js';
import type { ModelPolicy } from '../llm/modelPolicy.js';
import type { ModelRouter, ModelSwitch, RoutedAnswer } from '../llm/modelRouter.js';

/** What a turn's model calls used together: what `AgentResponse` reports and the tier meters. */
export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

/** The model calls of one turn, routed by one policy, each answer kept for the turn's usage. */
export interface MeteredCalls {
  call: ModelCall;
  /** Every answer so far, in call order (summaries first, then the reply and its repairs). */
  readonly answers: readonly RoutedAnswer[];
  readonly switches: readonly ModelSwitch[];
  usage(): TurnUsage;
}

/**
 * Routes every call of a turn (summarising, answering, repairing) the same way, so the
 * summariser gets the agent's failover and cost cap, and its tokens count like the reply's.
 */
export function createMeteredCalls(
  router: ModelRouter,
  accountId: string,
  policy: ModelPolicy | undefined,
): MeteredCalls {
  const answers: RoutedAnswer[] = [];
  const switches: ModelSwitch[] = [];
  return {
    answers,
    switches,
    call: (request) => {
      const stream = router.stream({
        accountId,
        policy,
        request,
        onSwitch: (change) => switches.push(change),
      });
      return (async function* () {
        yield* stream;
        answers.push(await stream.answer);
      })();
    },
    usage: () =>
      answers.reduce(
        (sum, answer) => ({
          inputTokens: sum.inputTokens + answer.usage.inputTokens,
          outputTokens: sum.outputTokens + answer.usage.outputTokens,
          costMicroUsd: sum.costMicroUsd + answer.costMicroUsd,
        }),
        { inputTokens: 0, outputTokens: 0, costMicroUsd: 0 },
      ),
  };
}
