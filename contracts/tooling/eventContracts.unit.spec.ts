import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedRoot, loadEventSchemaFiles, renderEventContracts } from './eventContracts.js';

const files = loadEventSchemaFiles();

/** ARCHITECTURE.md, "The event flow": the envelope every event carries, then its payload. */
const envelopeFieldNames = [
  'eventId',
  'type',
  'accountId',
  'streamId',
  'streamVersion',
  'occurredAt',
  'correlationId',
  'causationId',
  'actor',
  'schemaVersion',
  'data',
];

/** Seed events (platform-architecture.md) that must each have a schema. */
const seedEvents = [
  'ConversationStarted',
  'MessageReceived',
  'ConversationEnded',
  'DSLGenerated',
  'AgentResponse',
  'ModelSwitched',
  'WorkflowCreated',
  'WorkflowExecutionStarted',
  'WorkflowStarted',
  'TaskCompleted',
  'WorkflowFailed',
  'WorkflowCompleted',
  'TenantCreated',
  'QuotaExceeded',
  'AuthEvent',
];

type Field = { name: string; type: unknown; doc?: string };

describe('event contracts (contracts/schemas/**/*.avsc)', () => {
  it('cover every event the seed names', () => {
    expect(files.map((f) => f.type)).toEqual(expect.arrayContaining(seedEvents));
  });

  it.each(files)('$path carries the common envelope, then data', (file) => {
    const fields = file.schema.fields as Field[];
    expect(fields.map((f) => f.name)).toEqual(envelopeFieldNames);
    expect(file.schema.namespace).toBe(`awp.${file.domain}`);
    // Identical envelope definitions everywhere (only the doc of `type` names the event).
    const envelopeOf = (fs: Field[]) =>
      fs.slice(0, -1).map((f) => (f.name === 'type' ? { ...f, doc: undefined } : f));
    expect(envelopeOf(fields)).toEqual(envelopeOf(files[0]!.schema.fields as Field[]));
    expect(fields.at(-1)).toMatchObject({ type: { type: 'record', name: `${file.type}Data` } });
  });

  it('are in step with the generated TypeScript (run npm run contracts:generate)', async () => {
    const rendered = await renderEventContracts(files);
    for (const [name, content] of Object.entries(rendered)) {
      expect(readFileSync(join(generatedRoot, name), 'utf8'), name).toBe(content);
    }
  });
});
