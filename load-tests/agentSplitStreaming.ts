import { randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import { devEndpoints } from '../infra/dev/endpoints.js';
import {
  benchIdentity,
  modelEnv,
  startConversation,
  startFakeOpenAiProcess,
} from './agentPlatform.js';
import { createBenchDatabase } from './benchDatabase.js';
import { streamDirect, streamThroughAwp } from './replyStreams.js';
import type { StreamOutcome } from './replyStreams.js';
import { latencyLine } from './agentStreaming.js';
import { freePort, startServerProcess } from './serverProcess.js';
import type { ServerProcess } from './serverProcess.js';

const tokens = 5;

const line = (label: string, samples: readonly number[]) => latencyLine(label, samples, 44);

/**
 * Time to first token in the distributed profile, where the chat may be split: a conversation
 * process (`--services platform,conversation`, replies through Redis) asking an agent process
 * (`--services agent,workflow`) over `AWP_AGENT_URL`, against one process hosting all four on
 * the same PostgreSQL, Kafka and Redis. Each sample posts to a conversation of its own on each
 * (started beforehand), and streams straight from the fake, in rotating order. AWP on CPU 0; the fake and this load
 * generator on CPU 1.
 */
export async function agentSplitStreamingBenchmark(requests = 150, warmUp = 30): Promise<void> {
  const fake = await startFakeOpenAiProcess({ tokens });
  const dispatcher = new Agent({ connections: 4 });
  const database = await createBenchDatabase();
  const servers: ServerProcess[] = [];
  try {
    const identity = await benchIdentity();
    const shared = {
      AWP_LOG_LEVEL: 'warn',
      AWP_DATABASE_URL: database.url,
      AWP_KAFKA_BROKERS: devEndpoints.kafka.brokers,
      AWP_REDIS_URL: devEndpoints.redis.url,
      AWP_TOPIC_PREFIX: `bench-${randomBytes(4).toString('hex')}.`,
      AWP_SECRETS_KEY: randomBytes(32).toString('base64'),
      ...identity.env,
    };
    const serve = async (services: string, env: Record<string, string> = {}) => {
      const port = await freePort();
      const server = await startServerProcess(
        ['dist/infra/cli/main.js', 'serve', '--services', services],
        { ...shared, ...env, AWP_PORT: String(port) },
        port,
        '/readyz',
      );
      servers.push(server);
      return server;
    };
    // One at a time: all three migrate the same database on their first start.
    const whole = await serve('platform,conversation,agent,workflow', modelEnv(fake));
    const agent = await serve('platform,agent,workflow', modelEnv(fake));
    const chat = await serve('platform,conversation', { AWP_AGENT_URL: agent.url });

    const samples = { direct: [] as number[], whole: [] as number[], split: [] as number[] };
    const problems: string[] = [];
    const check = (outcome: StreamOutcome, label: string) => {
      problems.push(...outcome.problems.map((problem) => `${label}: ${problem}`));
      if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
      return outcome;
    };
    // Started beforehand: the agent process learns of a conversation from its
    // ConversationStarted on Kafka, and a first message that overtakes it waits (measured
    // separately below).
    const conversations = [];
    for (let i = 0; i < warmUp + requests; i++) {
      conversations.push({
        whole: await startConversation(whole.url, identity.token),
        chat: await startConversation(chat.url, identity.token),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const [i, started] of conversations.entries()) {
      const measures: Array<[keyof typeof samples, () => Promise<StreamOutcome>]> = [
        ['direct', () => streamDirect(fake, { dispatcher, tokens })],
        [
          'whole',
          () => streamThroughAwp(whole.url, identity.token, started.whole, { dispatcher, tokens }),
        ],
        [
          'split',
          () => streamThroughAwp(chat.url, identity.token, started.chat, { dispatcher, tokens }),
        ],
      ];
      const results = new Map<keyof typeof samples, StreamOutcome>();
      for (let turn = 0; turn < measures.length; turn++) {
        const [label, measure] = measures[(turn + i) % measures.length]!;
        results.set(label, check(await measure(), label));
      }
      if (i < warmUp) continue;
      for (const [label, outcome] of results) samples[label].push(outcome.firstTokenMs);
    }
    // A first message sent the moment its conversation was started.
    const overtaking: number[] = [];
    for (let i = 0; i < 20; i++) {
      const conversationId = await startConversation(chat.url, identity.token);
      const outcome = check(
        await streamThroughAwp(chat.url, identity.token, conversationId, { dispatcher, tokens }),
        'split, fresh',
      );
      overtaking.push(outcome.firstTokenMs);
    }
    const added = (label: 'whole' | 'split') =>
      samples[label].map((ms, i) => ms - (samples.direct[i] as number));

    console.log(
      `\n## Agent time to first token, distributed profile: one process vs conversation and agent in two (AWP_AGENT_URL, replies through Redis), ${requests} sequential after ${warmUp} warm-up, paired with a streaming chat completion straight to the fake`,
    );
    console.log(line('baseline: straight to the fake', samples.direct));
    console.log(line('one process (all four services)', samples.whole));
    console.log(line('two processes (conversation → agent)', samples.split));
    console.log(line('added by AWP, one process (paired)', added('whole')));
    console.log(line('added by AWP, two processes (paired)', added('split')));
    console.log(line('two processes, message at once after start', overtaking));
  } finally {
    await dispatcher.close();
    for (const server of servers.reverse()) await server.stop().catch(() => undefined);
    await fake.stop();
    await database.drop().catch(() => undefined);
  }
}
