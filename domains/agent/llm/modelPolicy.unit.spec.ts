import { describe, expect, it } from 'vitest';
import { modelPolicySchema, resolveModelPolicy } from './modelPolicy.js';

const agent = { candidates: [{ provider: 'anthropic', model: 'claude-sonnet' }] };
const tenant = {
  candidates: [{ provider: 'openai', model: 'gpt-4o' }],
  maxCostMicroUsdPerCall: 50,
};
const platform = { candidates: [{ provider: 'openai', model: 'gpt-4o-mini' }] };

describe('model policy', () => {
  it("uses the agent's policy first", () => {
    expect(resolveModelPolicy({ agent, tenant, platform })).toEqual({
      policy: agent,
      source: 'agent',
    });
  });

  it("falls back to the tenant's, then the platform default, taking each level whole", () => {
    expect(resolveModelPolicy({ tenant, platform })?.source).toBe('tenant');
    expect(resolveModelPolicy({ agent: { candidates: [] }, platform })).toEqual({
      policy: platform,
      source: 'platform',
    });
  });

  it('has no policy when no level sets one', () => {
    expect(resolveModelPolicy({})).toBeUndefined();
  });

  it('validates a policy sent through the API', () => {
    expect(modelPolicySchema.safeParse(tenant).success).toBe(true);
    const refused = modelPolicySchema.safeParse({
      candidates: [],
      maxCostMicroUsdPerCall: -1,
    });
    expect(refused.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'candidates',
      'maxCostMicroUsdPerCall',
    ]);
  });
});
