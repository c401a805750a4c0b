import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Bus, ConsumedMessage, Subscription } from '../../contracts/index.js';
import { eventually } from '../support/eventually.js';

/** The retry policy adapters under test are opened with: quick, so poison tests stay fast. */
export const busRetryAttempts = 3;
export const contractRetryPolicy = { attempts: busRetryAttempts, firstBackoffMs: 20 };

export interface BusUnderTest {
  bus: Bus;
  close(): Promise<void>;
}

/**
 * What every Bus adapter must do, run against the in-process bus and Kafka alike: the rest of
 * AWP relies on exactly these semantics and nothing more.
 */
export function busContract(open: () => Promise<BusUnderTest>): void {
  let subject: BusUnderTest;
  let topicCounter = 0;
  const freshTopic = () => `contract.t${Date.now().toString(36)}${topicCounter++}.events`;
  const message = (topic: string, key: string, n: number) => ({
    topic,
    key,
    value: Buffer.from(JSON.stringify({ key, n })),
    headers: { 'awp-seq': String(n) },
  });
  const parsed = (m: ConsumedMessage) =>
    JSON.parse(m.value.toString()) as { key: string; n: number };

  function collect(topic: string, groupId: string) {
    const received: ConsumedMessage[] = [];
    const subscribing = subject.bus.subscribe({
      groupId,
      topics: [topic],
      async handle(m) {
        received.push(m);
      },
    });
    return { received, subscribing };
  }

  beforeAll(async () => {
    subject = await open();
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('delivers key, value and headers to a subscriber', async () => {
    const topic = freshTopic();
    const { received, subscribing } = collect(topic, 'g-deliver');
    const subscription = await subscribing;
    await subject.bus.publish([message(topic, 'acc-1', 1)]);
    await eventually(async () => (received.length === 1 ? true : undefined));
    expect(received[0]).toMatchObject({ topic, key: 'acc-1', headers: { 'awp-seq': '1' } });
    expect(parsed(received[0] as ConsumedMessage)).toEqual({ key: 'acc-1', n: 1 });
    await subscription.stop();
  });

  it('keeps the order of each key', async () => {
    const topic = freshTopic();
    const { received, subscribing } = collect(topic, 'g-order');
    const subscription = await subscribing;
    const keys = ['acc-a', 'acc-b', 'acc-c', 'acc-d'];
    for (let batch = 0; batch < 5; batch++) {
      await subject.bus.publish(
        Array.from({ length: 8 }, (_, i) => message(topic, keys[i % 4] as string, batch * 8 + i)),
      );
    }
    await eventually(async () => (received.length >= 40 ? true : undefined), { timeoutMs: 30_000 });
    for (const key of keys) {
      const sequence = received
        .map(parsed)
        .filter((m) => m.key === key)
        .map((m) => m.n);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect(new Set(sequence).size).toBe(10);
    }
    await subscription.stop();
  });

  it('gives every consumer group its own copy of each message', async () => {
    const topic = freshTopic();
    const first = collect(topic, 'g-one');
    const second = collect(topic, 'g-two');
    const subscriptions = await Promise.all([first.subscribing, second.subscribing]);
    await subject.bus.publish([message(topic, 'acc-1', 1), message(topic, 'acc-2', 2)]);
    await eventually(async () =>
      first.received.length === 2 && second.received.length === 2 ? true : undefined,
    );
    await Promise.all(subscriptions.map((s) => s.stop()));
  });

  it('resumes a group from its committed offsets', async () => {
    const topic = freshTopic();
    const before = collect(topic, 'g-resume');
    let subscription: Subscription = await before.subscribing;
    await subject.bus.publish([1, 2, 3].map((n) => message(topic, 'acc-1', n)));
    await eventually(async () => (before.received.length === 3 ? true : undefined));
    await subscription.stop();

    await subject.bus.publish([4, 5].map((n) => message(topic, 'acc-1', n)));
    const after = collect(topic, 'g-resume');
    subscription = await after.subscribing;
    await eventually(async () => (after.received.length >= 2 ? true : undefined), {
      timeoutMs: 30_000,
    });
    expect(after.received.map((m) => parsed(m).n)).toEqual([4, 5]);
    await subscription.stop();
  });

  it('delivers again a message whose handler failed (at-least-once)', async () => {
    const topic = freshTopic();
    const seen: number[] = [];
    let failures = 0;
    const subscription = await subject.bus.subscribe({
      groupId: 'g-retry',
      topics: [topic],
      async handle(m) {
        const { n } = parsed(m);
        if (n === 2 && failures === 0) {
          failures++;
          throw new Error('transient failure');
        }
        seen.push(n);
      },
    });
    await subject.bus.publish([1, 2, 3].map((n) => message(topic, 'acc-1', n)));
    await eventually(async () => (seen.includes(3) ? true : undefined), { timeoutMs: 30_000 });
    expect(failures).toBe(1);
    expect(seen.filter((n) => n === 2)).toHaveLength(1);
    expect(seen.indexOf(2)).toBeLessThan(seen.indexOf(3));
    await subscription.stop();
  });

  it('sends a message that keeps failing to the dead-letter topic and moves on', async () => {
    const topic = freshTopic();
    const seen: number[] = [];
    let attempts = 0;
    const dead = collect(`${topic}.dlq`, 'g-dlq-watch');
    const watching = await dead.subscribing;
    const subscription = await subject.bus.subscribe({
      groupId: 'g-poison',
      topics: [topic],
      async handle(m) {
        const { n } = parsed(m);
        if (n === 2) {
          attempts++;
          throw new Error(`cannot apply event ${n}`);
        }
        seen.push(n);
      },
    });
    await subject.bus.publish([1, 2, 3].map((n) => message(topic, 'acc-1', n)));
    await eventually(
      async () => (seen.includes(3) && dead.received.length === 1 ? true : undefined),
      {
        timeoutMs: 30_000,
      },
    );
    expect(seen).toEqual([1, 3]);
    expect(attempts).toBe(busRetryAttempts);
    const letter = dead.received[0] as ConsumedMessage;
    expect(parsed(letter)).toEqual({ key: 'acc-1', n: 2 });
    expect(letter.key).toBe('acc-1');
    expect(letter.headers).toMatchObject({
      'awp-seq': '2',
      'awp-dlq-reason': 'cannot apply event 2',
      'awp-dlq-group': 'g-poison',
    });
    await Promise.all([subscription.stop(), watching.stop()]);
  });

  it('hands a backlog to handleBatch, and a failed batch to handle one message at a time', async () => {
    const topic = freshTopic();
    const keys = ['acc-a', 'acc-b', 'acc-c'];
    const messages = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) =>
        message(topic, keys[(from + i) % 3] as string, from + i),
      );
    await subject.bus.publish(messages(0, 20));
    const dead = collect(`${topic}.dlq`, 'g-batch-dlq-watch');
    const watching = await dead.subscribing;
    const applied: number[] = [];
    const batchSizes: number[] = [];
    const poison = 27;
    const subscription = await subject.bus.subscribe({
      groupId: 'g-batch',
      topics: [topic],
      // All or nothing, as a projection's transaction is.
      async handleBatch(ms) {
        const ns = ms.map((m) => parsed(m).n);
        if (ns.includes(poison)) throw new Error(`batch holds event ${poison}`);
        batchSizes.push(ms.length);
        applied.push(...ns);
      },
      async handle(m) {
        const { n } = parsed(m);
        if (n === poison) throw new Error(`cannot apply event ${n}`);
        applied.push(n);
      },
    });
    await eventually(async () => (applied.length === 20 ? true : undefined), { timeoutMs: 30_000 });
    // The backlog really arrived in batches.
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    await subject.bus.publish(messages(20, 40));
    await eventually(
      async () => (applied.length === 39 && dead.received.length === 1 ? true : undefined),
      { timeoutMs: 30_000 },
    );
    // Each message took effect exactly once, and the poison one alone was dead-lettered.
    expect([...applied].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, n) => n).filter((n) => n !== poison),
    );
    expect(parsed(dead.received[0] as ConsumedMessage).n).toBe(poison);
    for (const key of keys) {
      const sequence = applied.filter((n) => keys[n % 3] === key);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    }
    await Promise.all([subscription.stop(), watching.stop()]);
  });

  it('rebalances a group of two members without losing or reordering messages', async () => {
    const topic = freshTopic();
    const keys = Array.from({ length: 24 }, (_, i) => `acc-r${i}`);
    const deliveries: Array<{ member: string; key: string; n: number }> = [];
    // A read model kept the way our projections keep theirs: each message id is applied once,
    // so a redelivery after a handover changes nothing.
    const appliedIds = new Set<string>();
    const readModel = new Map<string, number[]>();
    const member = (name: string) =>
      subject.bus.subscribe({
        groupId: 'g-rebalance',
        topics: [topic],
        async handle(m) {
          const { key, n } = parsed(m);
          deliveries.push({ member: name, key, n });
          // A little work per message, so members still have a backlog when partitions move.
          await new Promise((resolve) => setTimeout(resolve, 3));
          const id = `${key}/${n}`;
          if (appliedIds.has(id)) return;
          appliedIds.add(id);
          readModel.set(key, [...(readModel.get(key) ?? []), n]);
        },
      });
    let rounds = 0;
    /** One message per key; `n` counts rounds, so each key's messages are numbered 0, 1, 2… */
    const publishRounds = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const n = rounds++;
        await subject.bus.publish(keys.map((key) => message(topic, key, n)));
      }
    };

    const staying = await member('staying');
    await publishRounds(40);
    const leaving = await member('leaving');
    // Both must have handled messages: the group really was split between the two.
    await eventually(
      async () => {
        await publishRounds(1);
        const members = new Set(deliveries.map((d) => d.member));
        return members.has('staying') && members.has('leaving') ? true : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 200 },
    );
    await publishRounds(10);
    const stopping = leaving.stop();
    await publishRounds(5); // while the group rebalances
    await stopping;
    const deliveredWhenStopped = deliveries.length;
    await publishRounds(5);
    const total = rounds * keys.length;
    await eventually(async () => (appliedIds.size === total ? true : undefined), {
      timeoutMs: 60_000,
    });
    await staying.stop();

    const expected = Array.from({ length: rounds }, (_, n) => n);
    const firstDeliveries = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const { key, n } of deliveries) {
      if (seen.has(`${key}/${n}`)) continue;
      seen.add(`${key}/${n}`);
      firstDeliveries.set(key, [...(firstDeliveries.get(key) ?? []), n]);
    }
    for (const key of keys) {
      // Between them the members handled every message, and first deliveries kept key order.
      expect(firstDeliveries.get(key)).toEqual(expected);
      // Deduping by id leaves exactly one effect per message, in order.
      expect(readModel.get(key)).toEqual(expected);
    }
    expect(deliveries.length).toBeGreaterThanOrEqual(total);
    const lateDeliveries = deliveries
      .slice(deliveredWhenStopped)
      .filter((d) => d.member === 'leaving');
    expect(lateDeliveries).toEqual([]);
  }, 150_000);

  it('reports how far a consumer group is behind', async () => {
    const topic = freshTopic();
    await subject.bus.publish([1, 2, 3].map((n) => message(topic, `acc-${n}`, n)));
    expect(await subject.bus.lag('g-lag', [topic])).toBe(3);
    const { received, subscribing } = collect(topic, 'g-lag');
    const subscription = await subscribing;
    await eventually(async () => (received.length === 3 ? true : undefined));
    await eventually(
      async () => ((await subject.bus.lag('g-lag', [topic])) === 0 ? true : undefined),
      {
        timeoutMs: 20_000,
      },
    );
    await subscription.stop();
  });

  it('answers ping while connected', async () => {
    await expect(subject.bus.ping()).resolves.toBeUndefined();
  });
}
