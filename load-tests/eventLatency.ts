import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { platformTopic } from '../contracts/index.js';
import type { BusMessage } from '../contracts/index.js';
import { uuidV7Ids } from '../infra/system/systemClock.js';
import { embeddedProfile, openPipeline, realProfile, roundTripTopic } from './eventPipeline.js';
import type { Pipeline, Timeline } from './eventPipeline.js';
import { fmt, percentile } from './serverProcess.js';

const perSecond = 500;
const writers = 8;
/** About the size of the TenantCreated appended here, in Avro with its 5-byte header. */
const roundTripValue = Buffer.alloc(280, 7);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(done: () => boolean, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`${what}: not done in ${timeoutMs} ms`);
    await sleep(5);
  }
}

const dueAt = (started: number, slot: number) => started + (slot * 1000) / perSecond;

/**
 * Open loop: append i is due at i / perSecond whatever earlier ones took; `writers` loops take
 * the due slots in turn, so a slow append holds up only its own loop.
 */
async function openLoop(seconds: number, operation: () => Promise<void>) {
  const total = Math.round(perSecond * seconds);
  let next = 0;
  let lateMs = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let slot = next++; slot < total; slot = next++) {
        const wait = dueAt(started, slot) - performance.now();
        if (wait > 0) await sleep(wait);
        lateMs = Math.max(lateMs, performance.now() - dueAt(started, slot));
        await operation();
      }
    }),
  );
  return { rate: total / ((performance.now() - started) / 1000), lateMs };
}

/** A TenantCreated on a new stream, as POST /v1/tenants appends it; timed around the call. */
async function appendTenant({ store, recorder }: Pipeline): Promise<void> {
  const accountId = uuidV7Ids.newId();
  const timeline: Timeline = { appendStart: performance.now() };
  recorder.timelines.set(accountId, timeline);
  await store.append({
    streamId: `tenant-${randomUUID()}`,
    expectedVersion: 'no_stream',
    events: [
      {
        type: 'TenantCreated',
        data: { accountId, accountName: `bench ${accountId}`, tier: 'standard' },
      },
    ],
    metadata: {
      accountId,
      correlationId: uuidV7Ids.newId(),
      causationId: null,
      actor: { type: 'user', id: 'user-7f3a2c' },
    },
    topic: platformTopic,
  });
  timeline.appended = performance.now();
}

/** Jiffies busy and in total over all CPUs since boot, from /proc/stat (zeros off Linux). */
async function machineTicks(): Promise<{ busy: number; total: number }> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => '');
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const fields = (stat.split('\n')[0] ?? '').split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + (b || 0), 0);
  return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
}

async function machineBusyDuring(work: () => Promise<unknown>): Promise<number> {
  const before = await machineTicks();
  await work();
  const after = await machineTicks();
  return (after.busy - before.busy) / (after.total - before.total || 1);
}

interface Round {
  timelines: Timeline[];
  batchSizes: number[];
  appliedBatchSizes: number[];
  rate: number;
  lateMs: number;
  /** Share of both vCPUs busy (every process on the VM) while the load was offered. */
  machineBusy: number;
  /** This process's CPU (load generator, store, relay, consumer, projection) per event. */
  cpuMsPerEvent: number;
  eventLoopBusy: number;
}

/** Appends at `perSecond` and waits until the projection committed every one of them. */
async function appendRound(pipeline: Pipeline, seconds: number): Promise<Round> {
  const recorder = pipeline.recorder;
  recorder.timelines = new Map();
  recorder.visible = 0;
  recorder.batchSizes = [];
  recorder.appliedBatchSizes = [];
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  let offered = { rate: 0, lateMs: 0 };
  const machineBusy = await machineBusyDuring(async () => {
    offered = await openLoop(seconds, () => appendTenant(pipeline));
  });
  const eventLoopBusy = performance.eventLoopUtilization(loop).utilization;
  const expected = recorder.timelines.size;
  await waitFor(() => recorder.visible >= expected, `${pipeline.label}: projection`);
  const used = process.cpuUsage(cpu);
  return {
    timelines: [...recorder.timelines.values()],
    batchSizes: recorder.batchSizes,
    appliedBatchSizes: recorder.appliedBatchSizes,
    ...offered,
    machineBusy,
    cpuMsPerEvent: (used.user + used.system) / 1000 / expected,
    eventLoopBusy,
  };
}

/**
 * The bus alone at the same rate, batched as the relay batches: one sequential publisher sends
 * whatever fell due while its previous publish was in flight. Latency counts from the due time.
 */
async function busRoundTrip(pipeline: Pipeline, seconds: number) {
  const run = randomUUID();
  const due = new Map<string, number>();
  const total = Math.round(perSecond * seconds);
  const started = performance.now();
  for (let slot = 0; slot < total;) {
    const dueNow = Math.min(
      total,
      Math.floor(((performance.now() - started) * perSecond) / 1000) + 1,
    );
    if (dueNow <= slot) {
      await sleep(dueAt(started, slot) - performance.now());
      continue;
    }
    const batch: BusMessage[] = [];
    for (; slot < dueNow; slot++) {
      const key = `${run}-${slot}`;
      due.set(key, dueAt(started, slot));
      batch.push({ topic: roundTripTopic, key, value: roundTripValue });
    }
    await pipeline.bus.publish(batch);
  }
  const rate = total / ((performance.now() - started) / 1000);
  const keys = [...due.keys()];
  await waitFor(() => keys.every((k) => pipeline.received.has(k)), `${pipeline.label}: bus`);
  const latencies = keys.map((k) => (pipeline.received.get(k) as number) - (due.get(k) as number));
  for (const k of keys) pipeline.received.delete(k);
  return { latencies, rate };
}

interface Results {
  rounds: Round[];
  roundTrips: Array<{ latencies: number[]; rate: number }>;
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: readonly number[]) => percentile(sorted(xs), 50);
const between = (from: keyof Timeline, to: keyof Timeline) => (t: Timeline) =>
  (t[to] as number) - (t[from] as number);
const printRow = (cells: readonly string[]) => console.log(`| ${cells.join(' | ')} |`);

function printLatencies(pipelines: readonly Pipeline[], results: readonly Results[]) {
  console.log('\n### Latency (ms), all rounds pooled; p99 of each round in brackets');
  console.log('| profile | measure | p50 | p95 | p99 | max | rate offered (ev/s) |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  pipelines.forEach((pipeline, i) => {
    const { rounds, roundTrips } = results[i] as Results;
    const row = (label: string, perRound: number[][], rates: number[]) => {
      const all = sorted(perRound.flat());
      const p99s = perRound.map((xs) => fmt(percentile(sorted(xs), 99))).join(', ');
      printRow([
        pipeline.label,
        label,
        fmt(percentile(all, 50)),
        fmt(percentile(all, 95)),
        `${fmt(percentile(all, 99))} [${p99s}]`,
        fmt(all.at(-1) ?? Number.NaN),
        fmt(median(rates), 0),
      ]);
    };
    const rates = rounds.map((r) => r.rate);
    const to = (step: keyof Timeline) =>
      rounds.map((r) => r.timelines.map(between('appendStart', step)));
    row('**append → projection committed (visible)**', to('visible'), rates);
    row('append → projection apply (inside its transaction)', to('applied'), rates);
    row('baseline: append alone', to('appended'), rates);
    row(
      'baseline: bare Bus publish → handler, relay-style batches',
      roundTrips.map((r) => r.latencies),
      roundTrips.map((r) => r.rate),
    );
  });
}

function printSteps(pipelines: readonly Pipeline[], results: readonly Results[]) {
  console.log('\n### Where the time goes: p50 / p99 (ms) of each step, all rounds pooled');
  console.log(
    '| profile | append | committed → relay publishes | relay publish → broker ack | relay publish → handler starts | handler → committed | relay batch p50 / max | projection batch p50 / max |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  pipelines.forEach((pipeline, i) => {
    const rounds = (results[i] as Results).rounds;
    const step = (from: keyof Timeline, to: keyof Timeline) => {
      const xs = sorted(rounds.flatMap((r) => r.timelines.map(between(from, to))));
      return `${fmt(percentile(xs, 50))} / ${fmt(percentile(xs, 99))}`;
    };
    const batches = sorted(rounds.flatMap((r) => r.batchSizes));
    const applied = sorted(rounds.flatMap((r) => r.appliedBatchSizes));
    printRow([
      pipeline.label,
      step('appendStart', 'appended'),
      step('appended', 'relayPublish'),
      step('relayPublish', 'acked'),
      step('relayPublish', 'handlerStart'),
      step('handlerStart', 'visible'),
      `${percentile(batches, 50)} / ${batches.at(-1)}`,
      `${percentile(applied, 50)} / ${applied.at(-1)}`,
    ]);
  });
}

function printLoad(pipelines: readonly Pipeline[], results: readonly Results[]) {
  console.log('\n### Load during the end-to-end rounds (median of rounds)');
  console.log(
    '| profile | visible p50 (ms), first → last second of a round | VM CPU busy, both vCPUs, every process | this process: CPU ms per event | its event loop busy | latest append start behind schedule (ms) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  pipelines.forEach((pipeline, i) => {
    const rounds = (results[i] as Results).rounds;
    // A projection that keeps up shows the same latency at the end of a round as at its start.
    const drift = (edge: 'first' | 'last') =>
      median(
        rounds.map((r) => {
          const starts = r.timelines.map((t) => t.appendStart);
          const from = edge === 'first' ? Math.min(...starts) : Math.max(...starts) - 1_000;
          const inSecond = r.timelines.filter(
            (t) => t.appendStart >= from && t.appendStart <= from + 1_000,
          );
          return median(inSecond.map(between('appendStart', 'visible')));
        }),
      );
    const percent = (xs: number[]) => `${fmt(100 * median(xs), 0)} %`;
    printRow([
      pipeline.label,
      `${fmt(drift('first'))} → ${fmt(drift('last'))}`,
      percent(rounds.map((r) => r.machineBusy)),
      fmt(median(rounds.map((r) => r.cpuMsPerEvent)), 2),
      percent(rounds.map((r) => r.eventLoopBusy)),
      fmt(Math.max(...rounds.map((r) => r.lateMs))),
    ]);
  });
}

/**
 * End-to-end latency of an event through the real pipeline: append (event + outbox row) →
 * outbox relay (woken by the append; Avro through the built-in registry over HTTP) → bus →
 * projection transaction. Open loop at 500 events/s from 8 writers, one new `tenant-<uuid>`
 * stream per append. Baselines in the same run: the append alone, and the bus alone at the same
 * rate. Profiles alternate round by round, since this VM's speed drifts between minutes.
 */
export async function eventLatencyBenchmark(options: {
  real: boolean;
  seconds?: number;
  rounds?: number;
}): Promise<void> {
  const seconds = options.seconds ?? 10;
  const rounds = options.rounds ?? 3;
  const busyBefore = await machineBusyDuring(() => sleep(2_000));
  const pipelines: Pipeline[] = [];
  try {
    if (options.real) {
      pipelines.push(await openPipeline(await realProfile('platformatic')));
      pipelines.push(await openPipeline(await realProfile('kafkajs')));
    }
    pipelines.push(await openPipeline(await embeddedProfile()));
    // Warm-up: JIT, connections, schema registration, consumer groups joined.
    for (const pipeline of pipelines) {
      await appendRound(pipeline, 2);
      await busRoundTrip(pipeline, 2);
    }
    const results: Results[] = pipelines.map(() => ({ rounds: [], roundTrips: [] }));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < pipelines.length; k++) {
        const i = (k + round) % pipelines.length;
        const result = results[i] as Results;
        result.rounds.push(await appendRound(pipelines[i] as Pipeline, seconds));
        result.roundTrips.push(await busRoundTrip(pipelines[i] as Pipeline, seconds));
      }
    }
    console.log(
      `\n## Event latency: append → relay → bus → projection visible, ${perSecond} events/s open loop from ${writers} writers, ${rounds} × ${seconds} s rounds (target p99 < 100 ms on real services; VM ${fmt(100 * busyBefore, 0)} % busy with other work before the start)`,
    );
    printLatencies(pipelines, results);
    printSteps(pipelines, results);
    printLoad(pipelines, results);
  } finally {
    for (const pipeline of pipelines) await pipeline.stop();
  }
}
