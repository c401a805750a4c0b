import { Agent } from 'undici';
import { startAgentPlatform, startConversation, startFakeOpenAiProcess } from './agentPlatform.js';
import type { AgentPlatform } from './agentPlatform.js';
import { streamDirect, streamThroughAwp } from './replyStreams.js';
import type { StreamOutcome } from './replyStreams.js';
import { fmt, percentile } from './serverProcess.js';

const tokens = 5;

/** One row of latency percentiles, the label padded to `width`. */
export const latencyLine = (label: string, samples: readonly number[], width = 36) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => fmt(percentile(sorted, p), 2).padStart(7);
  return `${label.padEnd(width)} p50 ${at(50)} ms   p90 ${at(90)} ms   p99 ${at(99)} ms`;
};
const line = (label: string, samples: readonly number[]) => latencyLine(label, samples);

/**
 * Issue 7, time to first token: what the platform adds between a client's message and the
 * first token of the reply. Each sample posts a message to a fresh conversation (a growing
 * history would change the prompt and eventually call the model to summarise it) and times
 * POST → first `event: token`; paired with it, the same measurement for a streaming chat
 * completion sent straight to the same fake, in alternating order. AWP runs on CPU 0, the
 * fake and this load generator on CPU 1. The model answers at once, so the difference is the
 * platform: authentication, recording the message, reading the history, the catalog, drafts
 * and memory lookups, building the prompt and relaying the stream.
 */
export async function agentTimeToFirstTokenBenchmark(requests = 200, warmUp = 30): Promise<void> {
  const fake = await startFakeOpenAiProcess({ tokens });
  // Sequential requests, as one chatting client sends them: a few keep-alive connections do.
  const dispatcher = new Agent({ connections: 4 });
  let awp: AgentPlatform | undefined;
  try {
    awp = await startAgentPlatform(fake);
    const platform = awp;
    const direct: number[] = [];
    const through: number[] = [];
    const recorded: number[] = [];
    const replies: number[] = [];
    const problems: string[] = [];
    const check = (outcome: StreamOutcome, label: string) => {
      problems.push(...outcome.problems.map((problem) => `${label}: ${problem}`));
      return outcome;
    };
    for (let i = 0; i < warmUp + requests; i++) {
      const conversationId = await startConversation(platform.url, platform.token);
      const viaAwp = () =>
        streamThroughAwp(platform.url, platform.token, conversationId, { dispatcher, tokens });
      const straight = () => streamDirect(fake, { dispatcher, tokens });
      let ours: StreamOutcome;
      let theirs: StreamOutcome;
      if (i % 2 === 0) {
        theirs = check(await straight(), 'direct');
        ours = check(await viaAwp(), 'AWP');
      } else {
        ours = check(await viaAwp(), 'AWP');
        theirs = check(await straight(), 'direct');
      }
      if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
      if (i < warmUp) continue;
      direct.push(theirs.firstTokenMs);
      through.push(ours.firstTokenMs);
      recorded.push(ours.firstEventMs);
      replies.push(ours.totalMs);
    }
    const added = through.map((ms, i) => ms - (direct[i] as number));

    console.log(
      `\n## Agent time to first token: POST /v1/conversations/{id}/messages (SSE) → first token event, ${requests} sequential after ${warmUp} warm-up, each paired with a streaming chat completion straight to the same fake (target: < 25 ms added at p50)`,
    );
    console.log(line('baseline: straight to the fake', direct));
    console.log(line('through AWP', through));
    console.log(line('added by AWP (paired difference)', added));
    // Where the time goes: the message is recorded before the model is called.
    console.log(line('through AWP, to the message event', recorded));
    console.log(line(`through AWP, whole reply (${tokens} tokens)`, replies));
  } finally {
    await dispatcher.close();
    await awp?.stop();
    await fake.stop();
  }
}
