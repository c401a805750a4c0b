import { pino } from 'pino';
import { expect, it } from 'vitest';
import type { ConsumedMessage } from '../../contracts/index.js';
import { devEndpoints } from '../dev/endpoints.js';
import { describeWithServices, uniqueSuffix } from '../../test/support/realServices.js';
import { eventually } from '../../test/support/eventually.js';
import { busContract, contractRetryPolicy } from '../../test/contracts/busContract.js';
import { partitionFor } from './partitioner.js';
import { createPlatformaticKafkaBus } from './platformaticKafkaBus.js';
import type { KafkaBusOptions } from './kafkaBusOptions.js';

const logger = pino({ level: 'silent' });

const openBus = (overrides: Partial<KafkaBusOptions> = {}) =>
  createPlatformaticKafkaBus({
    brokers: [devEndpoints.kafka.brokers],
    clientId: 'awp-contract',
    partitions: 3,
    replicationFactor: 1,
    topicPrefix: `test-${uniqueSuffix()}.`,
    logger,
    retryPolicy: contractRetryPolicy,
    ...overrides,
  });

describeWithServices(['kafka'], 'Kafka bus on @platformatic/kafka (distributed profile)', () => {
  busContract(async () => {
    const bus = openBus();
    return { bus, close: () => bus.close() };
  });

  it('places every key on the partition the Java client would', async () => {
    // The library's default partitioner (murmur2 >>> 0) would put 32 of these 60 elsewhere.
    const bus = openBus({ partitions: 12 });
    const keys = Array.from({ length: 60 }, (_, i) => `acc-${i}`);
    const received: ConsumedMessage[] = [];
    const subscription = await bus.subscribe({
      groupId: 'g-placement',
      topics: ['placement.events'],
      async handle(m) {
        received.push(m);
      },
    });
    try {
      await bus.publish(
        keys.map((key) => ({ topic: 'placement.events', key, value: Buffer.from(key) })),
      );
      await eventually(async () => (received.length === keys.length ? true : undefined));
      for (const m of received) expect(m.partition).toBe(partitionFor(m.key, 12));
    } finally {
      await subscription.stop();
      await bus.close();
    }
  });
});
