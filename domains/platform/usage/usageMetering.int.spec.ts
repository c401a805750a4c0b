import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwpError, createEventCatalog, eventSchemas } from '../../../contracts/index.js';
import type { EventEnvelope, EventStore, PendingEvent } from '../../../contracts/index.js';
import { openTestDatabase } from '../../../test/support/testDatabases.js';
import type { DatabaseKind, OpenedDatabase } from '../../../test/support/testDatabases.js';
import { describeWithServices } from '../../../test/support/realServices.js';
import { platformMigrations } from '../migrations.js';
import { findTenant } from '../queries/tenantQueries.js';
import { readUsage } from '../queries/usageQueries.js';
import { tenantsProjection } from '../readModels/tenantSummary.js';
import { createQuotaGate } from './quotaGate.js';
import { createTenantDirectory } from './tenantDirectory.js';
import { defaultTierLimits, parseTierLimits } from './tierLimits.js';
import { usageProjection } from './usageProjection.js';
import { usageReportOf } from './usageReport.js';

/**
 * The usage projection, the tenant directory and the quota gate over real SQL (PGlite and
 * PostgreSQL). Events
 * are applied the way the projection runner applies them (one transaction each); the QuotaExceeded
 * events the gate appends go to a recording store that checks them against their Avro schema.
 */

const { validate } = createEventCatalog(eventSchemas);

function recordingEventStore() {
  const appended: EventEnvelope[] = [];
  const uniqueKeys = new Set<string>();
  const store: Pick<EventStore, 'append'> = {
    async append(request) {
      for (const key of request.uniqueKeys ?? []) {
        const id = `${key.scope}\n${key.value}`;
        if (uniqueKeys.has(id)) throw new AwpError('conflict', key.takenMessage);
        uniqueKeys.add(id);
      }
      const current = appended.filter((e) => e.streamId === request.streamId).length;
      const envelopes = request.events.map((event: PendingEvent, index) => {
        const envelope: EventEnvelope = {
          eventId: `0193${String(appended.length + index).padStart(4, '0')}-0000-7000-8000-000000000000`,
          type: event.type,
          streamId: request.streamId,
          streamVersion: current + index + 1,
          schemaVersion: 1,
          occurredAt: clock.now().toISOString(),
          data: event.data,
          ...request.metadata,
        };
        validate(envelope);
        return envelope;
      });
      appended.push(...envelopes);
      return { nextVersion: current + envelopes.length, events: envelopes };
    },
  };
  return { store: store as EventStore, appended };
}

const clock = { ms: Date.parse('2026-11-27T08:00:00.000Z'), now: () => new Date(clock.ms) };

let sequence = 0;
function event(type: string, accountId: string, data: object, extra: Partial<EventEnvelope> = {}) {
  sequence++;
  return {
    eventId: `01900000-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    type,
    accountId,
    streamId: `stream-${sequence}`,
    streamVersion: 1,
    occurredAt: clock.now().toISOString(),
    correlationId: 'corr-1',
    causationId: null,
    actor: { type: 'system', id: 'test' },
    schemaVersion: 1,
    data,
    ...extra,
  } satisfies EventEnvelope;
}

function usageMeteringSuite(kind: DatabaseKind): void {
  let opened: OpenedDatabase;
  const apply = (...events: EventEnvelope[]) =>
    opened.db.transaction(async (tx) => {
      for (const e of events) {
        await tenantsProjection.apply(tx, e);
        await usageProjection.apply(tx, e);
      }
    });
  const usageOf = (accountId: string, month = '2026-11') => readUsage(opened.db, accountId, month);
  const created = (accountId: string, workflowId: string) =>
    event('WorkflowCreated', accountId, { workflowId, name: workflowId, version: '1.0.0' });
  const started = (accountId: string, executionId: string) =>
    event('WorkflowExecutionStarted', accountId, {
      workflowId: 'wf-1',
      executionId,
      trigger: 'api',
    });
  const ended = (type: string, accountId: string, executionId: string) =>
    event(type, accountId, { workflowId: 'wf-1', executionId });
  const tenantEvent = (type: string, accountId: string, version: number, data: object) =>
    event(
      type,
      accountId,
      { accountId, ...data },
      {
        streamId: `tenant-${accountId}`,
        streamVersion: version,
      },
    );

  beforeAll(async () => {
    opened = await openTestDatabase(kind, platformMigrations);
  });
  afterAll(async () => {
    await opened?.close();
  });
  beforeEach(async () => {
    clock.ms = Date.parse('2026-11-27T08:00:00.000Z');
    await opened.db.transaction(async (tx) => {
      await usageProjection.reset(tx);
      await tenantsProjection.reset(tx);
    });
  });

  describe('the usage projection', () => {
    it('counts workflows, executions started this month and executions running', async () => {
      await apply(
        created('acc-1', 'wf-1'),
        created('acc-1', 'wf-2'),
        created('acc-2', 'wf-3'),
        started('acc-1', 'ex-1'),
        started('acc-1', 'ex-2'),
        started('acc-1', 'ex-3'),
        ended('WorkflowCompleted', 'acc-1', 'ex-1'),
        ended('WorkflowFailed', 'acc-1', 'ex-2'),
      );
      expect(await usageOf('acc-1')).toEqual({
        workflows: 2,
        executionsThisMonth: 3,
        runningExecutions: 1,
        llmTokensThisMonth: 0,
        month: '2026-11',
      });
      expect(await usageOf('acc-2')).toMatchObject({ workflows: 1, executionsThisMonth: 0 });
    });

    it('counts a start in the calendar month (UTC) it happened, not the current one', async () => {
      await apply(started('acc-1', 'ex-1'));
      clock.ms = Date.parse('2026-12-01T00:00:00.000Z');
      await apply(started('acc-1', 'ex-2'), ended('ExecutionCancelled', 'acc-1', 'ex-1'));
      expect(await usageOf('acc-1', '2026-11')).toMatchObject({ executionsThisMonth: 1 });
      expect(await usageOf('acc-1', '2026-12')).toMatchObject({
        executionsThisMonth: 1,
        runningExecutions: 1,
      });
    });

    it('counts an execution ending twice (failed, then cancelled) once', async () => {
      await apply(started('acc-1', 'ex-1'), started('acc-1', 'ex-2'));
      await apply(ended('WorkflowFailed', 'acc-1', 'ex-1'));
      await apply(ended('ExecutionCancelled', 'acc-1', 'ex-1'));
      expect(await usageOf('acc-1')).toMatchObject({ runningExecutions: 1 });
    });

    it('changes nothing when a start or a creation arrives again (a redelivery)', async () => {
      const start = started('acc-1', 'ex-1');
      const workflow = created('acc-1', 'wf-1');
      await apply(start, workflow);
      await apply(start, workflow);
      expect(await usageOf('acc-1')).toMatchObject({
        workflows: 1,
        executionsThisMonth: 1,
        runningExecutions: 1,
      });
    });

    it('starts from zero after a reset, for a rebuild', async () => {
      await apply(created('acc-1', 'wf-1'), started('acc-1', 'ex-1'));
      await opened.db.transaction((tx) => usageProjection.reset(tx));
      expect(await usageOf('acc-1')).toMatchObject({
        workflows: 0,
        executionsThisMonth: 0,
        runningExecutions: 0,
      });
    });
  });

  describe('the tenants projection', () => {
    const account = '01900000-0000-7000-8000-0000000000a1';

    it('follows suspension, reactivation and tier changes, ignoring stale redeliveries', async () => {
      const createdEvent = tenantEvent('TenantCreated', account, 1, {
        accountName: 'Acme',
        tier: 'free',
      });
      const suspended = tenantEvent('TenantSuspended', account, 2, { reason: 'unpaid' });
      await apply(createdEvent, suspended);
      expect(await findTenant(opened.db, account)).toMatchObject({
        tier: 'free',
        status: 'suspended',
        suspendedReason: 'unpaid',
        version: 2,
      });
      await apply(
        tenantEvent('TenantTierChanged', account, 3, { from: 'free', to: 'enterprise' }),
        tenantEvent('TenantReactivated', account, 4, {}),
      );
      await apply(suspended, createdEvent);
      expect(await findTenant(opened.db, account)).toMatchObject({
        name: 'Acme',
        tier: 'enterprise',
        status: 'active',
        suspendedReason: null,
        version: 4,
      });
    });

    it('shows a tenant stored on the retired standard tier as pro', async () => {
      await apply(
        tenantEvent('TenantCreated', account, 1, { accountName: 'Old Co', tier: 'standard' }),
      );
      expect(await findTenant(opened.db, account)).toMatchObject({ tier: 'pro' });
      await opened.db.query(`UPDATE platform_tenants SET tier = 'standard'`);
      expect(await findTenant(opened.db, account)).toMatchObject({ tier: 'pro' });
    });
  });

  describe('the directory and the quota gate', () => {
    const account = '01900000-0000-7000-8000-0000000000b2';
    const limits = parseTierLimits(
      '{"free":{"workflows":2,"executionsPerMonth":3,"concurrentExecutions":2},"pro":{"workflows":5}}',
    );
    const setUp = () => {
      const directory = createTenantDirectory({ db: opened.db, limits, clock });
      const events = recordingEventStore();
      const failures: unknown[] = [];
      const gate = createQuotaGate({
        db: opened.db,
        eventStore: events.store,
        directory,
        clock,
        onNoticeFailed: (error) => failures.push(error),
      });
      return { directory, gate, appended: events.appended, failures };
    };
    const refusalOf = async (promise: Promise<void>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AwpError);
      return error as AwpError;
    };
    const request = { correlationId: 'corr-quota' };

    it('admits workflows up to the tier limit, then refuses naming the limit', async () => {
      const { gate, appended, failures } = setUp();
      await apply(created(account, 'wf-1'));
      await gate.admit(account, 'create_workflow', request);
      await apply(created(account, 'wf-2'));
      const refusal = await refusalOf(gate.admit(account, 'create_workflow', request));
      expect(refusal.code).toBe('quota_exceeded');
      expect(refusal.message).toBe(
        'workflow limit of the free tier reached: 2/2 workflows; a higher tier allows more',
      );
      expect(refusal.details.field).toBe('workflows');
      expect(failures).toEqual([]);
      expect(appended).toMatchObject([
        {
          type: 'QuotaExceeded',
          streamId: `quota-${account}`,
          accountId: account,
          correlationId: 'corr-quota',
          actor: { type: 'system', id: 'quota-gate' },
          data: {
            accountId: account,
            resourceType: 'workflows',
            usage: 2,
            limit: 2,
            window: 'total',
          },
        },
      ]);
    });

    it('records at most one QuotaExceeded per account and resource a minute', async () => {
      const { gate, appended } = setUp();
      await apply(created(account, 'wf-1'), created(account, 'wf-2'));
      await apply(started(account, 'ex-1'), started(account, 'ex-2'));
      for (let i = 0; i < 5; i++) await refusalOf(gate.admit(account, 'create_workflow', request));
      await refusalOf(gate.admit(account, 'start_execution', request));
      expect(appended.map((e) => (e.data as { resourceType: string }).resourceType)).toEqual([
        'workflows',
        'concurrent_executions',
      ]);
      clock.ms += 59_000;
      await refusalOf(gate.admit(account, 'create_workflow', request));
      expect(appended).toHaveLength(2);
      clock.ms += 1_000;
      await refusalOf(gate.admit(account, 'create_workflow', request));
      expect(appended).toHaveLength(3);
      expect(appended.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });

    it('lets another replica record nothing more in the same minute', async () => {
      const shared = recordingEventStore();
      const replica = () =>
        createQuotaGate({
          db: opened.db,
          eventStore: shared.store,
          directory: createTenantDirectory({ db: opened.db, limits, clock }),
          clock,
        });
      await apply(created(account, 'wf-1'), created(account, 'wf-2'));
      await refusalOf(replica().admit(account, 'create_workflow', request));
      await refusalOf(replica().admit(account, 'create_workflow', request));
      expect(shared.appended).toHaveLength(1);
    });

    it('refuses starts over the monthly budget and over the concurrency budget', async () => {
      const { gate } = setUp();
      await apply(started(account, 'ex-1'), started(account, 'ex-2'));
      const busy = await refusalOf(gate.admit(account, 'start_execution', request));
      expect(busy.details).toMatchObject({ field: 'concurrentExecutions', retryable: true });
      expect(busy.message).toMatch(/^concurrent execution limit of the free tier reached: 2\/2/);

      await apply(ended('WorkflowCompleted', account, 'ex-1'));
      await gate.admit(account, 'start_execution', request);
      await apply(started(account, 'ex-3'), ended('WorkflowCompleted', account, 'ex-3'));
      const spent = await refusalOf(gate.admit(account, 'start_execution', request));
      expect(spent.details).toMatchObject({ field: 'executionsPerMonth', retryable: false });
      expect(spent.message).toBe(
        'monthly execution limit of the free tier reached: 3/3 executions started in 2026-11 (UTC); the count starts again next month',
      );

      clock.ms = Date.parse('2026-12-01T00:00:00.000Z');
      await gate.admit(account, 'start_execution', request);
    });

    it('applies a tier change and a suspension once the cached standing expires', async () => {
      const { directory, gate } = setUp();
      await apply(
        tenantEvent('TenantCreated', account, 1, { accountName: 'Acme', tier: 'free' }),
        created(account, 'wf-1'),
        created(account, 'wf-2'),
      );
      expect(await directory.standing(account)).toMatchObject({ tier: 'free', status: 'active' });
      await refusalOf(gate.admit(account, 'create_workflow', request));
      await apply(
        tenantEvent('TenantTierChanged', account, 2, { from: 'free', to: 'pro' }),
        tenantEvent('TenantSuspended', account, 3, { reason: 'unpaid' }),
      );
      clock.ms += 1_000;
      expect(await directory.standing(account)).toEqual({
        tier: 'pro',
        status: 'suspended',
        apiRequestsPerMinute: defaultTierLimits.pro.apiRequestsPerMinute,
        limits: { ...defaultTierLimits.pro, workflows: 5 },
      });
      await gate.admit(account, 'create_workflow', request);
    });

    it('reports usage against every limit of the tier', async () => {
      const { directory } = setUp();
      await apply(created(account, 'wf-1'), started(account, 'ex-1'));
      expect(await usageReportOf(opened.db, directory, account, clock.now())).toEqual({
        accountId: account,
        tier: 'free',
        status: 'active',
        month: '2026-11',
        resources: {
          workflows: { used: 1, limit: 2 },
          executionsPerMonth: { used: 1, limit: 3 },
          concurrentExecutions: { used: 1, limit: 2 },
          llmTokensPerMonth: { used: 0, limit: defaultTierLimits.free.llmTokensPerMonth },
          apiRequestsPerMinute: { used: null, limit: defaultTierLimits.free.apiRequestsPerMinute },
        },
      });
    });
  });
}

describe('usage metering, tenant directory and quota gate on PGlite', () => {
  usageMeteringSuite('pglite');
});

describeWithServices(
  ['postgres'],
  'usage metering, tenant directory and quota gate on PostgreSQL',
  () => {
    usageMeteringSuite('postgres');
  },
);
