import { describe, expect, it } from 'vitest';
import type { MeteredUsage } from '../queries/usageQueries.js';
import { quotaRefusalOf } from './quotaRefusal.js';
import { defaultTierLimits } from './tierLimits.js';

const limits = { ...defaultTierLimits.free, workflows: 3, executionsPerMonth: 10 };
const usage = (overrides: Partial<MeteredUsage> = {}): MeteredUsage => ({
  workflows: 0,
  executionsThisMonth: 0,
  runningExecutions: 0,
  llmTokensThisMonth: 0,
  month: '2026-11',
  ...overrides,
});

describe('quota refusals', () => {
  it('admits a workflow while the tier has room for it', () => {
    expect(quotaRefusalOf('create_workflow', usage({ workflows: 2 }), 'free', limits)).toBeNull();
  });

  it('refuses a workflow once the tier limit is reached, naming the limit', () => {
    expect(quotaRefusalOf('create_workflow', usage({ workflows: 3 }), 'free', limits)).toEqual({
      limit: 'workflows',
      resourceType: 'workflows',
      usage: 3,
      max: 3,
      window: 'total',
      message: 'workflow limit of the free tier reached: 3/3 workflows; a higher tier allows more',
      retryable: false,
    });
  });

  it('refuses a start once the month is spent, even with executions running', () => {
    const refusal = quotaRefusalOf(
      'start_execution',
      usage({ executionsThisMonth: 10, runningExecutions: 5 }),
      'free',
      limits,
    );
    expect(refusal).toMatchObject({
      limit: 'executionsPerMonth',
      window: 'month',
      retryable: false,
    });
    expect(refusal?.message).toBe(
      'monthly execution limit of the free tier reached: 10/10 executions started in 2026-11 (UTC); the count starts again next month',
    );
  });

  it('refuses a start while the concurrency budget is used up, as retryable', () => {
    const refusal = quotaRefusalOf(
      'start_execution',
      usage({ runningExecutions: 5 }),
      'free',
      limits,
    );
    expect(refusal).toMatchObject({
      limit: 'concurrentExecutions',
      resourceType: 'concurrent_executions',
      usage: 5,
      max: 5,
      retryable: true,
    });
    expect(refusal?.message).toMatch(/^concurrent execution limit of the free tier reached: 5\/5/);
  });

  it('admits a start below both limits, whatever the workflow count', () => {
    const busy = usage({ workflows: 99, executionsThisMonth: 9, runningExecutions: 4 });
    expect(quotaRefusalOf('start_execution', busy, 'free', limits)).toBeNull();
  });

  it('refuses everything on a limit of zero', () => {
    const none = { ...limits, workflows: 0, concurrentExecutions: 0 };
    expect(quotaRefusalOf('create_workflow', usage(), 'free', none)?.limit).toBe('workflows');
    expect(quotaRefusalOf('start_execution', usage(), 'free', none)?.limit).toBe(
      'concurrentExecutions',
    );
  });
});
