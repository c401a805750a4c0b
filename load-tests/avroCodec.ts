import { deepStrictEqual } from 'node:assert';
import {
  createConfluentRegistryClient,
  createEventCatalog,
  createEventSerializer,
  domainTopic,
  eventSchemas,
} from '../contracts/index.js';
import type {
  EventCatalog,
  EventEnvelope,
  EventSchemaEntry,
  EventSerializer,
  EventTypeName,
} from '../contracts/index.js';
import { schemaRegistryMigrations } from '../contracts/registry/index.js';
import { startEmbeddedPostgres } from '../infra/pglite/embeddedPostgres.js';
import { migrate } from '../infra/postgres/migrate.js';
import { createPgDatabase } from '../infra/postgres/pgDatabase.js';
import { uuidV7Ids } from '../infra/system/systemClock.js';
import { startTestRegistry } from '../test/support/testRegistry.js';
import { fmt, percentile } from './serverProcess.js';

const ids = () => uuidV7Ids.newId();

/** ~500 B of chat text, as a user message carries. */
const messageContent =
  'Hi, I placed order 48213 on Monday and the tracking page still says "label created". ' +
  'The parcel was supposed to arrive before the weekend because it is a birthday present. ' +
  'Could you check with the carrier whether it actually left the warehouse, and if it did ' +
  'not, cancel it and send a replacement by express? I am happy to pay the difference. My ' +
  'address has not changed. Also, the invoice shows the wrong VAT number for my company; ' +
  'please correct it to DE 811 907 980 and send me the new PDF. Thank you!';

function envelope(type: EventTypeName, data: unknown): EventEnvelope {
  return {
    eventId: ids(),
    type,
    streamId: `${type.toLowerCase()}-${ids()}`,
    streamVersion: 3,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    accountId: ids(),
    correlationId: ids(),
    causationId: ids(),
    actor: { type: 'user', id: 'user-7f3a2c' },
    data,
  };
}

const messageData = () => ({
  conversationId: ids(),
  messageId: ids(),
  role: 'user',
  content: messageContent,
  parentMessageId: ids(),
});
const taskData = () => ({
  workflowId: ids(),
  executionId: ids(),
  taskPath: '/do/2/checkStock',
  attempt: 1,
  outputJson: JSON.stringify({ sku: 'A-1043', available: 12, warehouse: 'FRA-2' }),
});
const failureData = () => ({
  workflowId: ids(),
  executionId: ids(),
  errorType: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
  errorTitle: 'Supplier API unavailable',
  errorStatus: 503,
  errorDetail: 'POST https://supplier.example/api/orders answered 503 three times',
  taskPath: '/do/3/placeOrder',
});
const tenantData = () => ({ accountId: ids(), accountName: 'Acme Logistics', tier: 'standard' });

/** Weighted like a busy conversation/workflow tenant: chat and task events dominate. */
const mix: Array<[weight: number, make: () => EventEnvelope]> = [
  [4, () => envelope('MessageReceived', messageData())],
  [4, () => envelope('TaskCompleted', taskData())],
  [1, () => envelope('WorkflowFailed', failureData())],
  [1, () => envelope('TenantCreated', tenantData())],
];

const topicOf = (e: EventEnvelope) =>
  domainTopic((eventSchemas[e.type as EventTypeName] as EventSchemaEntry).domain);

/**
 * The same schemas one compatible evolution later: every payload gained an optional field.
 * A consumer built with these reads the older writers' bytes through an avsc resolver.
 */
function evolvedSchemas(): Record<string, EventSchemaEntry> {
  const added = { name: 'traceId', type: ['null', 'string'], default: null };
  return Object.fromEntries(
    Object.entries(eventSchemas).map(([type, entry]) => {
      const fields = entry.schema.fields.map((field) => {
        const f = field as { name: string; type: { fields: unknown[] } };
        return f.name === 'data'
          ? { ...f, type: { ...f.type, fields: [...f.type.fields, added] } }
          : f;
      });
      return [type, { ...entry, schema: { ...entry.schema, fields } }];
    }),
  );
}

/** One pass over the sample; returns how many events it handled. */
type Pass = () => Promise<number> | number;

/** An Avro operation and the JSON operation it replaces, timed back to back. */
interface Comparison {
  operation: string;
  json: Pass;
  avro: Pass;
}

interface Codecs {
  events: EventEnvelope[];
  writer: EventSerializer;
  evolvedReader: EventSerializer;
  /** avsc types of the writer's catalog, for the row without the serializer around them. */
  catalog: EventCatalog;
  avro: Buffer[];
  json: Buffer[];
}

function comparisons(codecs: Codecs): Comparison[] {
  const { events, writer, evolvedReader, catalog, avro, json } = codecs;
  const each = (f: (e: EventEnvelope, i: number) => unknown) => () => {
    events.forEach(f);
    return events.length;
  };
  // Awaited one by one, as a consumer decodes: each call pays its promise.
  const eachAwaited = (f: (e: EventEnvelope, i: number) => Promise<unknown>) => async () => {
    for (const [i, e] of events.entries()) await f(e, i);
    return events.length;
  };
  const toJson = (e: EventEnvelope) => Buffer.from(JSON.stringify(e));
  const fromJson = (b: Buffer) => JSON.parse(b.toString()) as EventEnvelope;
  const jsonDecode = each((_, i) => fromJson(json[i] as Buffer));
  return [
    {
      operation: 'encode',
      json: each(toJson),
      avro: eachAwaited((e) => writer.encode(e, topicOf(e))),
    },
    {
      operation: 'decode',
      json: jsonDecode,
      avro: eachAwaited((_, i) => writer.decode(avro[i] as Buffer)),
    },
    {
      operation: 'decode with a reader schema one field newer (resolver)',
      json: jsonDecode,
      avro: eachAwaited((_, i) => evolvedReader.decode(avro[i] as Buffer)),
    },
    {
      operation: 'round trip (encode + decode)',
      json: each((e) => fromJson(toJson(e))),
      avro: eachAwaited(async (e) => writer.decode(await writer.encode(e, topicOf(e)))),
    },
    {
      operation: 'reference: avsc `toBuffer` + `fromBuffer` alone (no header, no registry, sync)',
      json: each((e) => fromJson(toJson(e))),
      avro: each((e) => {
        const { type } = catalog.entryOf(e.type);
        return type.fromBuffer(type.toBuffer(e));
      }),
    },
  ];
}

/** Passes until `ms` elapsed: events per second. */
async function opsPerSecond(pass: Pass, ms: number): Promise<number> {
  let handled = 0;
  const started = performance.now();
  while (performance.now() - started < ms) handled += await pass();
  return handled / ((performance.now() - started) / 1000);
}

/** avsc decodes into record classes; compared by content. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function openCodecs(url: string, sampleSize: number) {
  const db = createPgDatabase({ connectionString: url, poolSize: 1 });
  await migrate(db, schemaRegistryMigrations);
  const registry = await startTestRegistry(db);
  const client = createConfluentRegistryClient({ url: registry.url });
  const catalog = createEventCatalog(eventSchemas);
  const writer = createEventSerializer({ catalog, registry: client });
  const evolvedReader = createEventSerializer({
    catalog: createEventCatalog(evolvedSchemas()),
    registry: client,
  });
  const weights = mix.flatMap(([weight, make]) => Array.from({ length: weight }, () => make));
  const events = Array.from({ length: sampleSize }, (_, i) =>
    (weights[i % weights.length] as () => EventEnvelope)(),
  );
  const avro = await Promise.all(events.map((e) => writer.encode(e, topicOf(e))));
  const json = events.map((e) => Buffer.from(JSON.stringify(e)));
  // Both read back what was written; the evolved reader adds the new field's default.
  for (const [i, e] of events.entries()) {
    deepStrictEqual(plain(await writer.decode(avro[i] as Buffer)), e);
    const evolved = plain(await evolvedReader.decode(avro[i] as Buffer));
    deepStrictEqual(evolved, { ...e, data: { ...(e.data as object), traceId: null } });
  }
  const close = async () => {
    await registry.close();
    await db.close();
  };
  return { codecs: { events, writer, evolvedReader, catalog, avro, json }, close };
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

function printBytes({ events, avro, json }: Codecs) {
  console.log(
    '\n| event type | share of the mix | JSON bytes | Avro bytes (with 5-byte header) | Avro/JSON |',
  );
  console.log('|---|---:|---:|---:|---:|');
  const types = [...new Set(events.map((e) => e.type)), 'all (mean per event)'];
  for (const type of types) {
    const all = type.startsWith('all');
    const picked = events.flatMap((e, i) => (all || e.type === type ? [i] : []));
    const mean = (bufs: Buffer[]) =>
      picked.reduce((n, i) => n + (bufs[i] as Buffer).length, 0) / picked.length;
    console.log(
      `| ${type} | ${fmt((100 * picked.length) / events.length, 0)} % | ${fmt(mean(json), 0)} | ${fmt(mean(avro), 0)} | ${fmt(mean(avro) / mean(json), 2)} |`,
    );
  }
}

interface Measured {
  json: number[];
  avro: number[];
}

/**
 * Each round times every comparison's two sides back to back, JSON first in even rounds and
 * Avro first in odd ones: this VM's speed drifts within seconds, so only adjacent figures
 * compare. The ratio is taken per round, then its median.
 */
async function measure(list: readonly Comparison[], rounds: number, ms: number) {
  for (const c of list) for (const pass of [c.json, c.avro]) await opsPerSecond(pass, ms); // JIT
  const measured: Measured[] = list.map(() => ({ json: [], avro: [] }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of list.entries()) {
      const m = measured[i] as Measured;
      const sides = [
        async () => m.json.push(await opsPerSecond(c.json, ms)),
        async () => m.avro.push(await opsPerSecond(c.avro, ms)),
      ];
      for (const side of round % 2 === 0 ? sides : sides.reverse()) await side();
    }
  }
  return measured;
}

function printRates(list: readonly Comparison[], measured: readonly Measured[]) {
  console.log('| operation | JSON events/s | Avro events/s | Avro/JSON (p25–p75 of rounds) |');
  console.log('|---|---:|---:|---:|');
  for (const [i, c] of list.entries()) {
    const { json, avro } = measured[i] as Measured;
    const ratios = sorted(avro.map((a, r) => a / (json[r] as number)));
    const spread = `${fmt(percentile(ratios, 25), 2)}–${fmt(percentile(ratios, 75), 2)}`;
    const rate = (xs: number[]) => fmt(percentile(sorted(xs), 50), 0);
    const ratio = `${fmt(percentile(ratios, 50), 2)} (${spread})`;
    console.log(`| ${c.operation} | ${rate(json)} | ${rate(avro)} | ${ratio} |`);
  }
}

/**
 * Events/s through the real `EventSerializer` (Avro in the Confluent wire format; schema ids
 * from the built-in registry, cached after the first call) against `JSON.stringify`/`parse` of
 * the same events, plus decoding with a newer reader schema (an avsc resolver), as consumers
 * do after a compatible evolution. Bytes per event alongside.
 */
export async function avroCodecBenchmark(
  options: { rounds?: number; roundMs?: number; sampleSize?: number } = {},
): Promise<void> {
  const rounds = options.rounds ?? 30;
  const roundMs = options.roundMs ?? 100;
  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  try {
    const { codecs, close } = await openCodecs(embedded.url, options.sampleSize ?? 1_000);
    try {
      const list = comparisons(codecs);
      const measured = await measure(list, rounds, roundMs);
      console.log(
        `\n## Avro (EventSerializer) vs JSON: ${codecs.events.length} events of a realistic mix, median of ${rounds} rounds of ${roundMs} ms per side (Node ${process.version})`,
      );
      printRates(list, measured);
      console.log(
        "(events/s drift with this VM's speed from round to round; the ratio of adjacent runs is the figure to read)",
      );
      printBytes(codecs);
    } finally {
      await close();
    }
  } finally {
    await embedded.stop();
  }
}
