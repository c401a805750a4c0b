import { z } from 'zod';
import { modelPolicySchema } from '../llm/modelPolicy.js';

/**
 * What a tenant can say about an agent: which models it uses (preferred first, then fallbacks,
 * and the most one call may cost), how many repair rounds a draft gets, and extra instructions.
 * The agent named `default` holds the tenant's policy, used by conversations that name no agent
 * and by agents without a policy of their own; without either, the platform default (AWP_LLM_*)
 * applies.
 */
export const defaultAgentId = 'default';
export const defaultRepairRounds = 3;

export const agentConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    modelPolicy: modelPolicySchema.optional(),
    maxRepairRounds: z.number().int().min(0).max(10).default(defaultRepairRounds),
    instructions: z.string().max(4000).optional(),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;

export const agentIdPattern = /^[a-z][a-z0-9-]{0,62}$/;
