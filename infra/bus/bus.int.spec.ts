import { pino } from 'pino';
import { describe } from 'vitest';
import { devEndpoints } from '../dev/endpoints.js';
import { describeWithServices, uniqueSuffix } from '../../test/support/realServices.js';
import { openTestDatabase } from '../../test/support/testDatabases.js';
import { busContract, contractRetryPolicy } from '../../test/contracts/busContract.js';
import { createInProcessBus, inProcessBusMigrations } from './inProcessBus.js';
import { createKafkaBus } from './kafkaBus.js';

const logger = pino({ level: 'silent' });

describe('in-process bus (embedded profile)', () => {
  busContract(async () => {
    const opened = await openTestDatabase('pglite', inProcessBusMigrations);
    const bus = createInProcessBus({
      db: opened.db,
      partitions: 3,
      logger,
      pollMs: 200,
      retryPolicy: contractRetryPolicy,
    });
    return {
      bus,
      async close() {
        await bus.close();
        await opened.close();
      },
    };
  });
});

describeWithServices(['kafka'], 'Kafka bus (distributed profile)', () => {
  busContract(async () => {
    const bus = createKafkaBus({
      brokers: [devEndpoints.kafka.brokers],
      clientId: 'awp-contract',
      partitions: 3,
      replicationFactor: 1,
      topicPrefix: `test-${uniqueSuffix()}.`,
      logger,
      retryPolicy: contractRetryPolicy,
    });
    return { bus, close: () => bus.close() };
  });
});
