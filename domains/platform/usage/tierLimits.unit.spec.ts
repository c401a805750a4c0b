import { describe, expect, it } from 'vitest';
import { isAwpError } from '../../../contracts/index.js';
import { defaultTierLimits, parseTierLimits, tierLimitsSetting } from './tierLimits.js';

function failureOf(text: string) {
  try {
    parseTierLimits(text);
  } catch (error) {
    if (isAwpError(error))
      return { code: error.code, message: error.message, field: error.details.field };
    throw error;
  }
  throw new Error(`'${text}' was accepted`);
}

describe('tier limits (AWP_TIER_LIMITS)', () => {
  it('are the defaults when the variable is unset or blank', () => {
    expect(parseTierLimits(undefined)).toBe(defaultTierLimits);
    expect(parseTierLimits('  ')).toBe(defaultTierLimits);
  });

  it('grow from tier to tier', () => {
    const { free, pro, enterprise } = defaultTierLimits;
    for (const name of Object.keys(free) as (keyof typeof free)[]) {
      expect(pro[name]).toBeGreaterThan(free[name]);
      expect(enterprise[name]).toBeGreaterThan(pro[name]);
    }
  });

  it('lay a partial override over the defaults, tier by tier and limit by limit', () => {
    const limits = parseTierLimits(
      '{"free":{"apiRequestsPerMinute":30},"enterprise":{"workflows":20000,"concurrentExecutions":0}}',
    );
    expect(limits.free).toEqual({ ...defaultTierLimits.free, apiRequestsPerMinute: 30 });
    expect(limits.pro).toEqual(defaultTierLimits.pro);
    expect(limits.enterprise).toEqual({
      ...defaultTierLimits.enterprise,
      workflows: 20000,
      concurrentExecutions: 0,
    });
  });

  it('name the variable and the field of a wrong value', () => {
    expect(failureOf('{"free":{"workflows":"ten"}}')).toEqual({
      code: 'validation',
      message: `AWP_TIER_LIMITS: 'free.workflows' must be a whole number (got "ten")`,
      field: 'AWP_TIER_LIMITS.free.workflows',
    });
    expect(failureOf('{"pro":{"executionsPerMonth":1.5}}').message).toBe(
      `AWP_TIER_LIMITS: 'pro.executionsPerMonth' must be a whole number (got 1.5)`,
    );
    expect(failureOf('{"pro":{"llmTokensPerMonth":-1}}').message).toBe(
      `AWP_TIER_LIMITS: 'pro.llmTokensPerMonth' must not be negative (got -1)`,
    );
    expect(failureOf('{"free":{"apiRequestsPerMinute":0}}').message).toBe(
      `AWP_TIER_LIMITS: 'free.apiRequestsPerMinute' must be at least 1 (got 0)`,
    );
  });

  it('refuse unknown tiers (the retired standard too) and unknown limits', () => {
    expect(failureOf('{"standard":{"workflows":1}}')).toMatchObject({
      message: `AWP_TIER_LIMITS: 'standard' is not a tier (tiers: free, pro, enterprise)`,
      field: 'AWP_TIER_LIMITS.standard',
    });
    expect(failureOf('{"free":{"workflow":1}}').message).toBe(
      `AWP_TIER_LIMITS: 'free.workflow' is not a limit (limits: workflows, executionsPerMonth, concurrentExecutions, llmTokensPerMonth, apiRequestsPerMinute)`,
    );
  });

  it('refuse text that is not a JSON object of objects', () => {
    expect(failureOf('{"free":')).toMatchObject({ field: 'AWP_TIER_LIMITS' });
    expect(failureOf('{"free":').message).toMatch(/^AWP_TIER_LIMITS: is not valid JSON/);
    expect(failureOf('[1,2]').message).toBe(
      'AWP_TIER_LIMITS: must be a JSON object keyed by tier, e.g. {"free":{"apiRequestsPerMinute":30}}',
    );
    expect(failureOf('{"free":10}').message).toBe(
      `AWP_TIER_LIMITS: 'free' must be an object of limits, e.g. {"workflows":20} (got 10)`,
    );
  });

  it('read the same way as a zod setting for the config module', () => {
    expect(tierLimitsSetting.parse(undefined)).toBe(defaultTierLimits);
    expect(tierLimitsSetting.parse('{"pro":{"workflows":300}}').pro.workflows).toBe(300);
    const result = tierLimitsSetting.safeParse('{"pro":{"workflows":"many"}}');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      `'pro.workflows' must be a whole number (got "many")`,
    );
  });
});
