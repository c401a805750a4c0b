import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import type { Bus, BusMessage } from '../contracts/index.js';
import { createKafkaBus } from '../infra/bus/kafkaBus.js';
import type { KafkaBusOptions } from '../infra/bus/kafkaBusOptions.js';
import { createPlatformaticKafkaBus } from '../infra/bus/platformaticKafkaBus.js';
import { devEndpoints } from '../infra/dev/endpoints.js';
import { fmt, percentile } from './serverProcess.js';

/** The installed version, found from the entry point (not every package exports package.json). */
function installedVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (manifest.name === name) return manifest.version;
    } catch {
      // no package.json at this level: keep walking up
    }
    if (dirname(dir) === dir) return 'unknown';
    dir = dirname(dir);
  }
}

/** The default AWP_TOPIC_PARTITIONS, and as many accounts as a busy tenant base spreads over. */
const partitions = 6;
const accounts = 1_000;
const payload = Buffer.alloc(500, 'a');

interface Client {
  name: string;
  open(options: KafkaBusOptions): Bus;
}

const clients: readonly Client[] = [
  { name: `kafkajs ${installedVersion('kafkajs')}`, open: createKafkaBus },
  {
    name: `@platformatic/kafka ${installedVersion('@platformatic/kafka')}`,
    open: createPlatformaticKafkaBus,
  },
];

/** Shaped like the outbox relay's records: keyed by account, event type and id headers. */
function relayMessage(topic: string, i: number, headers: Record<string, string> = {}): BusMessage {
  return {
    topic,
    key: `acc-${i % accounts}`,
    value: payload,
    headers: {
      'awp-event-type': 'BenchmarkEventRecorded',
      'awp-event-id': randomUUID(),
      ...headers,
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Sequential publishes of `batchSize`, as the relay sends them: messages per second. */
async function publishThroughput(bus: Bus, topic: string, batches = 50, batchSize = 200) {
  let sent = 0;
  const batch = () => Array.from({ length: batchSize }, () => relayMessage(topic, sent++));
  for (let i = 0; i < 5; i++) await bus.publish(batch()); // topic creation, connections, JIT
  const started = performance.now();
  for (let i = 0; i < batches; i++) await bus.publish(batch());
  return (batches * batchSize) / ((performance.now() - started) / 1000);
}

/** Publish to handler, at a steady rate of small batches, measured in one process. */
async function endToEndLatency(bus: Bus, topic: string, perSecond = 500, seconds = 10) {
  const latencies: number[] = [];
  const publishCalls: number[] = [];
  const subscription = await bus.subscribe({
    groupId: 'bench-latency',
    topics: [topic],
    async handle(m) {
      latencies.push(performance.now() - Number(m.headers?.['bench-sent-at']));
    },
  });
  try {
    const stamp = () => ({ 'bench-sent-at': String(performance.now()) });
    await bus.publish([relayMessage(topic, 0, stamp())]);
    await waitFor(() => latencies.length > 0, 30_000, 'latency warm-up'); // group joined
    latencies.length = 0;
    const tickMs = 10;
    const perTick = (perSecond * tickMs) / 1000;
    const ticks = (seconds * 1000) / tickMs;
    const started = performance.now();
    for (let tick = 0; tick < ticks; tick++) {
      // Due times are absolute, so a slow publish is caught up on rather than lowering the rate.
      const wait = started + tick * tickMs - performance.now();
      if (wait > 0) await sleep(wait);
      const called = performance.now();
      await bus.publish(
        Array.from({ length: perTick }, (_, i) => relayMessage(topic, tick * perTick + i, stamp())),
      );
      publishCalls.push(performance.now() - called);
    }
    const achievedRate = (ticks * perTick) / ((performance.now() - started) / 1000);
    await waitFor(() => latencies.length >= ticks * perTick, 30_000, 'latency run');
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    return { endToEnd: sorted(latencies), publishCalls: sorted(publishCalls), achievedRate };
  } finally {
    await subscription.stop();
  }
}

/** A fresh group reading a backlog: messages per second from subscribe() to the last one. */
async function consumeBacklog(bus: Bus, topic: string, count = 50_000) {
  for (let sent = 0; sent < count; sent += 500) {
    await bus.publish(Array.from({ length: 500 }, (_, i) => relayMessage(topic, sent + i)));
  }
  let handled = 0;
  let first = 0;
  let last = 0;
  const subscribed = performance.now();
  const subscription = await bus.subscribe({
    groupId: 'bench-backlog',
    topics: [topic],
    async handle() {
      if (handled === 0) first = performance.now();
      if (++handled === count) last = performance.now();
    },
  });
  try {
    await waitFor(() => handled >= count, 120_000, 'backlog');
    // Timed from subscribe(): joining the group and the first fetches are part of catching up.
    return { perSecond: count / ((last - subscribed) / 1000), firstAfterMs: first - subscribed };
  } finally {
    await subscription.stop();
  }
}

const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * kafkajs and @platformatic/kafka behind the same Bus port, against the local broker, in one
 * run: rounds alternate between the clients (and which goes first), since this VM's speed
 * drifts between minutes and only same-run, interleaved figures compare.
 */
export async function kafkaClientsBenchmark(rounds = 3): Promise<void> {
  const run = `bench-${Date.now().toString(36)}`;
  const logger = pino({ level: 'warn' });
  const buses = clients.map((client, index) =>
    client.open({
      brokers: [devEndpoints.kafka.brokers],
      clientId: `awp-bench-${index}`,
      partitions,
      replicationFactor: 1,
      topicPrefix: `${run}-${index}.`,
      logger,
    }),
  );
  const results = clients.map(() => ({
    publish: [] as number[],
    latency: [] as number[],
    publishCall: [] as number[],
    achievedRate: [] as number[],
    backlog: [] as number[],
    firstAfter: [] as number[],
  }));
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        const bus = buses[i] as Bus;
        const result = results[i] as (typeof results)[number];
        result.publish.push(await publishThroughput(bus, `throughput.r${round}`));
        const backlog = await consumeBacklog(bus, `backlog.r${round}`);
        result.backlog.push(backlog.perSecond);
        result.firstAfter.push(backlog.firstAfterMs);
        if (round === rounds - 1) {
          const latency = await endToEndLatency(bus, 'latency');
          result.latency = latency.endToEnd;
          result.publishCall = latency.publishCalls;
          result.achievedRate.push(latency.achievedRate);
        }
      }
    }
  } finally {
    await Promise.all(buses.map((bus) => bus.close()));
  }

  const row = (label: string, cell: (r: (typeof results)[number]) => string) =>
    console.log(`| ${label} | ${results.map(cell).join(' | ')} |`);
  const withRounds = (xs: number[], digits = 0) =>
    `${fmt(median(xs), digits)} [${xs.map((x) => fmt(x, digits)).join(', ')}]`;
  console.log(
    `\n## Kafka clients behind the Bus port (local Kafka 4.1.1, ${partitions} partitions, acks=all, idempotent; Node ${process.version})`,
  );
  console.log(`| measure | ${clients.map((c) => c.name).join(' | ')} |`);
  console.log(`|---|${clients.map(() => '---:').join('|')}|`);
  row('publish, 200 × 500 B per call, sequential (msgs/s, median [rounds])', (r) =>
    withRounds(r.publish),
  );
  row('publish → handler at 500 msgs/s for 10 s: p50 (ms)', (r) => fmt(percentile(r.latency, 50)));
  row('… p90 (ms)', (r) => fmt(percentile(r.latency, 90)));
  row('… p99 (ms)', (r) => fmt(percentile(r.latency, 99)));
  row('… max (ms)', (r) => fmt(r.latency[r.latency.length - 1] ?? Number.NaN));
  row('… rate achieved (msgs/s)', (r) => fmt(median(r.achievedRate), 0));
  row(
    '… of which the publish call (5 messages, acks=all): p50 / p99 (ms)',
    (r) => `${fmt(percentile(r.publishCall, 50))} / ${fmt(percentile(r.publishCall, 99))}`,
  );
  row(
    'consume a 50,000-message backlog, new group, from subscribe() (msgs/s, median [rounds])',
    (r) => withRounds(r.backlog),
  );
  row('… subscribe() to first message (ms)', (r) => withRounds(r.firstAfter));
}
