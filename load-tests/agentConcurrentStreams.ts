import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent } from 'undici';
import {
  cpuSeconds,
  residentBytes,
  scrapeMetrics,
  startAgentPlatform,
  startConversation,
  startFakeOpenAiProcess,
} from './agentPlatform.js';
import type { AgentPlatform } from './agentPlatform.js';
import { streamDirect, streamThroughAwp } from './replyStreams.js';
import type { StreamHooks, StreamOutcome } from './replyStreams.js';
import { fmt, percentile } from './serverProcess.js';
import { metric, sampleServer } from './serverSampler.js';

const tokens = 50;
const tokenDelayMs = 100;

/**
 * Connections the kernel refused because a listener's accept queue was full (all listeners
 * of this machine; `TcpExtListenOverflows`). Node listens with a backlog of 511, so a burst of
 * 1,000 connects overflows it and those clients retry their SYN after 1 s, 3 s, 7 s: the
 * reason some streams start seconds late, on both sides.
 */
async function listenOverflows(): Promise<number> {
  const lines = (await readFile('/proc/net/netstat', 'utf8')).split('\n');
  const names = lines.find((line) => line.startsWith('TcpExt:'))?.split(' ') ?? [];
  const values = lines.filter((line) => line.startsWith('TcpExt:'))[1]?.split(' ') ?? [];
  return Number(values[names.indexOf('ListenOverflows')] ?? Number.NaN);
}

interface Wave {
  outcomes: StreamOutcome[];
  /** Connects refused with a full accept queue during the wave (see `listenOverflows`). */
  overflows: number;
  /** Most streams open (headers received, not yet ended) at the same moment. */
  peakOpen: number;
  /** Most streams receiving tokens (first token received, not yet ended) at the same moment. */
  peakStreaming: number;
  /** From the first request sent to the last stream ended. */
  wallMs: number;
}

/** Opens `count` streams at once and waits for all of them; a thrown request is an outcome too. */
async function wave(
  count: number,
  open: (index: number, hooks: StreamHooks) => Promise<StreamOutcome>,
): Promise<Wave> {
  const now = { open: 0, streaming: 0 };
  const peak = { open: 0, streaming: 0 };
  const overflowsBefore = await listenOverflows();
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const counted = { open: false, streaming: false };
      const enter = (what: 'open' | 'streaming') => () => {
        counted[what] = true;
        peak[what] = Math.max(peak[what], ++now[what]);
      };
      const requestStarted = performance.now();
      try {
        const signal = AbortSignal.timeout(180_000);
        return await open(index, { opened: enter('open'), streaming: enter('streaming'), signal });
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        const totalMs = performance.now() - requestStarted;
        const problems = [`request failed: ${code ?? message ?? String(error)}`];
        return { firstEventMs: Number.NaN, firstTokenMs: Number.NaN, totalMs, problems };
      } finally {
        if (counted.open) now.open -= 1;
        if (counted.streaming) now.streaming -= 1;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const overflows = (await listenOverflows()) - overflowsBefore;
  return { outcomes, overflows, peakOpen: peak.open, peakStreaming: peak.streaming, wallMs };
}

const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1);
const kib = (bytes: number) => fmt(bytes / 1024, 1);

function describe(label: string, run: Wave): string[] {
  const failed = run.outcomes.filter((outcome) => outcome.problems.length > 0);
  const sorted = (pick: (o: StreamOutcome) => number) =>
    run.outcomes
      .map(pick)
      .filter((ms) => !Number.isNaN(ms))
      .sort((a, b) => a - b);
  const first = sorted((o) => o.firstTokenMs);
  const whole = sorted((o) => o.totalMs);
  const kinds = new Map<string, number>();
  for (const problem of failed.flatMap((outcome) => outcome.problems.slice(0, 1))) {
    // Ids differ from stream to stream; the rest of a problem names its kind.
    const kind = problem.replace(/id \S+ after \d+/, 'id out of order').slice(0, 160);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [
    `${label}: ${failed.length} errors of ${run.outcomes.length} streams, at most ${run.peakOpen} open and ${run.peakStreaming} receiving tokens at once, all ended after ${fmt(run.wallMs / 1000, 2)} s`,
    `  first token p50 ${fmt(percentile(first, 50), 0)} ms p99 ${fmt(percentile(first, 99), 0)} ms; whole stream p50 ${fmt(percentile(whole, 50), 0)} ms p99 ${fmt(percentile(whole, 99), 0)} ms; ${run.overflows} connects refused by a full accept queue (retried)`,
    ...[...kinds].map(([kind, n]) => `  ${n} × ${kind}`),
  ];
}

/**
 * Issue 7, many conversations on one process: 1,000 conversations each receive a message at
 * the same moment and stream the reply (50 tokens 100 ms apart, so every stream lasts 5 s and
 * they overlap), against one embedded AWP process on CPU 0. Each stream is checked event by
 * event (status 200, the message, every token in order with increasing ids, `done` holding the
 * streamed text). While they run, the server's RSS is read from /proc every 100 ms and its
 * /metrics scraped every 500 ms for heap and event-loop lag. Baseline: the same 1,000 streams
 * straight to the fake, which runs on CPU 1 beside this load generator.
 */
export async function agentConcurrentStreamsBenchmark(streams = 1000): Promise<void> {
  const fake = await startFakeOpenAiProcess({ tokens, tokenDelayMs });
  // Undici's default pool has no per-origin limit, but say so: every stream needs its own socket.
  const dispatcher = new Agent({
    connections: streams * 2,
    headersTimeout: 180_000,
    bodyTimeout: 180_000,
  });
  const clientLag = monitorEventLoopDelay({ resolution: 10 });
  let awp: AgentPlatform | undefined;
  try {
    // Warm-up of the fake and this client (JIT, first connections), 20 streams at once.
    await Promise.all(Array.from({ length: 20 }, () => streamDirect(fake, { dispatcher, tokens })));
    const baseline = await wave(streams, (_, hooks) =>
      streamDirect(fake, { dispatcher, tokens, ...hooks }),
    );
    awp = await startAgentPlatform(fake);
    const { url, token, pid } = awp;
    const through = (conversationId: string, hooks: StreamHooks = {}) =>
      streamThroughAwp(url, token, conversationId, { dispatcher, tokens, ...hooks });
    // Warm-up (JIT, pools, the first prompt's catalog reads), 20 streams at once.
    const warm = await Promise.all(Array.from({ length: 20 }, () => startConversation(url, token)));
    await Promise.all(warm.map((id) => through(id)));
    const conversations: string[] = [];
    while (conversations.length < streams) {
      const batch = Math.min(16, streams - conversations.length);
      conversations.push(
        ...(await Promise.all(Array.from({ length: batch }, () => startConversation(url, token)))),
      );
    }
    const before = await scrapeMetrics(url); // also resets the event-loop histogram
    const rssBefore = await residentBytes(pid);
    const heapBefore = metric(before, 'nodejs_heap_size_used_bytes');
    const cpuBefore = await cpuSeconds(pid);
    const sampler = sampleServer(pid, url);
    clientLag.enable();
    const run = await wave(streams, (index, hooks) =>
      through(conversations[index] as string, hooks),
    );
    clientLag.disable();
    const cpuUsed = (await cpuSeconds(pid)) - cpuBefore;
    const samples = await sampler.stop();
    const rssAfter = await residentBytes(pid);
    const lagP99 = [...samples.lagP99Ms].sort((a, b) => a - b);
    const scrapes = [...samples.scrapeMs].sort((a, b) => a - b);

    console.log(
      `\n## ${streams} concurrent streaming conversations on one AWP process (embedded), the fake streaming ${tokens} tokens ${tokenDelayMs} ms apart (target: 0 errors)`,
    );
    for (const text of describe(`baseline: straight to the fake`, baseline)) console.log(text);
    for (const text of describe('through AWP', run)) console.log(text);
    console.log(
      `AWP CPU: ${fmt(cpuUsed, 1)} s in ${fmt(run.wallMs / 1000, 1)} s (${fmt((cpuUsed / run.wallMs) * 100_000, 0)}% of its core)`,
    );
    console.log(
      `AWP RSS: ${mib(rssBefore)} MiB before, peak ${mib(samples.peakRssBytes)} MiB → ${kib((samples.peakRssBytes - rssBefore) / streams)} KiB per open stream; ${mib(rssAfter)} MiB once all ended`,
    );
    console.log(
      `AWP heap used (/metrics): ${mib(heapBefore)} MiB before, peak ${mib(samples.peakHeapUsedBytes)} MiB → ${kib((samples.peakHeapUsedBytes - heapBefore) / streams)} KiB per open stream (garbage not yet collected included)`,
    );
    console.log(
      `AWP event-loop lag (awp_nodejs_eventloop_lag_*, ${lagP99.length} scrapes, each covering the time since the previous one): p99 median ${fmt(percentile(lagP99, 50), 1)} ms, worst ${fmt(lagP99.at(-1) ?? Number.NaN, 1)} ms; max ${fmt(samples.lagMaxMs, 1)} ms; a scrape took median ${fmt(percentile(scrapes, 50), 0)} ms, max ${fmt(scrapes.at(-1) ?? Number.NaN, 0)} ms`,
    );
    console.log(
      `load generator's own event-loop lag: p99 ${fmt(clientLag.percentile(99) / 1e6, 1)} ms, max ${fmt(clientLag.max / 1e6, 1)} ms`,
    );
  } finally {
    await dispatcher.close();
    await awp?.stop();
    await fake.stop();
  }
}
