import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import type { BusMessage, ConsumedMessage } from '../../contracts/index.js';
import { handleBatchOrEach, handleOrDeadLetter } from './deadLetters.js';

const message: ConsumedMessage = {
  topic: 'awp.platform.events',
  partition: 2,
  offset: '41',
  key: 'acc-1',
  value: Buffer.from('{"eventId":"e-1"}'),
  headers: { 'awp-event-type': 'TenantCreated' },
};

function harness() {
  const published: BusMessage[] = [];
  const sleeps: number[] = [];
  const options = {
    policy: { attempts: 4, firstBackoffMs: 10 },
    groupId: 'awp.projection.platform.tenants',
    logger: pino({ level: 'silent' }),
    publish: async (messages: readonly BusMessage[]) => {
      published.push(...messages);
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
  return { published, sleeps, options };
}

describe('dead letters', () => {
  it('hands over a message that succeeds without touching the dead-letter topic', async () => {
    const { published, options } = harness();
    await handleOrDeadLetter(message, async () => undefined, options);
    expect(published).toEqual([]);
  });

  it('retries a transient failure with doubling back-off and then succeeds', async () => {
    const { published, sleeps, options } = harness();
    let calls = 0;
    await handleOrDeadLetter(
      message,
      async () => {
        if (++calls < 3) throw new Error('connection reset');
      },
      options,
    );
    expect(calls).toBe(3);
    expect(sleeps).toEqual([10, 20]);
    expect(published).toEqual([]);
  });

  it('dead-letters after the last attempt, keeping bytes, key and headers and adding the reason', async () => {
    const { published, options } = harness();
    let calls = 0;
    await handleOrDeadLetter(
      message,
      async () => {
        calls++;
        throw new Error('database is down');
      },
      options,
    );
    expect(calls).toBe(4);
    expect(published).toEqual([
      {
        topic: 'awp.platform.events.dlq',
        key: 'acc-1',
        value: message.value,
        headers: {
          'awp-event-type': 'TenantCreated',
          'awp-dlq-reason': 'database is down',
          'awp-dlq-retryable': 'true',
          'awp-dlq-attempts': '4',
          'awp-dlq-group': 'awp.projection.platform.tenants',
          'awp-dlq-source': 'awp.platform.events/2/41',
        },
      },
    ]);
  });

  it('dead-letters a message that can never succeed on the first failure', async () => {
    const { published, options } = harness();
    let calls = 0;
    await handleOrDeadLetter(
      message,
      async () => {
        calls++;
        throw new AwpError('validation', 'event payload is not valid JSON');
      },
      options,
    );
    expect(calls).toBe(1);
    expect(published[0]?.headers).toMatchObject({
      'awp-dlq-reason': 'event payload is not valid JSON',
      'awp-dlq-retryable': 'false',
    });
  });

  it('lets a failed dead-letter publish surface, so the message is delivered again', async () => {
    const { options } = harness();
    const failing = {
      ...options,
      publish: async () => {
        throw new Error('broker unavailable');
      },
    };
    await expect(
      handleOrDeadLetter(
        message,
        async () => {
          throw new AwpError('validation', 'bad');
        },
        failing,
      ),
    ).rejects.toThrow('broker unavailable');
  });

  it('never dead-letters during a dependency outage: it retries, then leaves the message uncommitted', async () => {
    const { published, sleeps, options } = harness();
    const outage = new AwpError(
      'unavailable',
      'schema registry unavailable while fetching schema 3',
    );
    await expect(
      handleOrDeadLetter(
        message,
        async () => {
          throw outage;
        },
        options,
      ),
    ).rejects.toBe(outage);
    expect(sleeps).toEqual([10, 20, 40]);
    expect(published).toEqual([]);
  });

  describe('batches', () => {
    const batch = ['41', '42', '43'].map((offset) => ({ ...message, offset }));

    it('hands a batch over in one call and reports every message handled', async () => {
      const { options } = harness();
      const calls: string[][] = [];
      const handled: string[] = [];
      await handleBatchOrEach(
        batch,
        {
          handle: async () => {
            throw new Error('not expected');
          },
          handleBatch: async (ms) => {
            calls.push(ms.map((m) => m.offset));
          },
        },
        options,
        (m) => handled.push(m.offset),
      );
      expect(calls).toEqual([['41', '42', '43']]);
      expect(handled).toEqual(['41', '42', '43']);
    });

    it('falls back to one message at a time, reporting those handled before an outage', async () => {
      const { published, options } = harness();
      const handled: string[] = [];
      const outage = new AwpError('unavailable', 'database unreachable');
      await expect(
        handleBatchOrEach(
          batch,
          {
            handle: async (m) => {
              if (m.offset === '42') throw outage;
            },
            handleBatch: async () => {
              throw outage;
            },
          },
          options,
          (m) => handled.push(m.offset),
        ),
      ).rejects.toBe(outage);
      // 41 may be committed; 42 and what follows it are delivered again.
      expect(handled).toEqual(['41']);
      expect(published).toEqual([]);
    });
  });
});
