import { z } from 'zod';

/** One model a policy may use: a configured provider's name and the vendor's model id. */
export interface ModelCandidate {
  provider: string;
  model: string;
}

/** Which models answer, in order of preference, and what a single call may cost at most. */
export interface ModelPolicy {
  /** The preferred model first, then the fallbacks. */
  candidates: readonly ModelCandidate[];
  /**
   * Candidates whose estimated maximum cost per call exceeds this are passed over. A model
   * missing from the price table (a self-hosted one, say) cannot be estimated and is not held
   * to the cap.
   */
  maxCostMicroUsdPerCall?: number;
}

/** Where the policy in force came from, for the agent's answer and its logs. */
export type PolicySource = 'agent' | 'tenant' | 'platform';

export interface ResolvedModelPolicy {
  policy: ModelPolicy;
  source: PolicySource;
}

/** Validates a policy sent through the API (agent or tenant configuration). */
export const modelPolicySchema = z
  .object({
    candidates: z
      .array(
        z
          .object({
            provider: z.string().trim().min(1, 'must name a configured provider').max(64),
            model: z.string().trim().min(1, 'must name a model').max(200),
          })
          .strict(),
      )
      .min(1, 'must list at least one model')
      .max(10, 'may list at most 10 models'),
    maxCostMicroUsdPerCall: z
      .number()
      .int('must be a whole number of micro-dollars')
      .positive('must be positive')
      .optional(),
  })
  .strict();

/**
 * The policy in force: the agent's own, else the tenant's, else the platform default from
 * configuration. A level is taken whole (its cap goes with its candidates), since a cap chosen
 * for cheap models says nothing about another level's expensive ones. A policy without
 * candidates counts as unset.
 */
export function resolveModelPolicy(levels: {
  agent?: ModelPolicy | undefined;
  tenant?: ModelPolicy | undefined;
  platform?: ModelPolicy | undefined;
}): ResolvedModelPolicy | undefined {
  const order: readonly PolicySource[] = ['agent', 'tenant', 'platform'];
  for (const source of order) {
    const policy = levels[source];
    if (policy && policy.candidates.length > 0) return { policy, source };
  }
  return undefined;
}
