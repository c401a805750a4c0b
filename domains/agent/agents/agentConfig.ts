import { z } from 'zod';
import { modelPolicySchema } from '../llm/modelPolicy.js';

/**
 * What a tenant can say about an agent: which models it uses (preferred first, then fallbacks,
 * and the most one call may cost), how many repair rounds a draft gets, extra instructions, and
 * how much of the conversation a prompt carries verbatim (`contextTokens`). The agent named `default` holds the tenant's policy, used by conversations that name no agent
 * and by agents without a policy of their own; without either, the platform default (AWP_LLM_*)
 * applies.
 */
export const defaultAgentId = 'default';
export const defaultRepairRounds = 3;
/**
 * Tokens the conversation history may take in a prompt, besides the system prompt: enough
 * for a long design discussion, and within every current model's window once the catalog
 * and the DSL primer are added. Older turns beyond it are summarised.
 */
export const defaultContextTokens = 24_000;
/** Below this, the newest message and a summary no longer fit side by side. */
export const minContextTokens = 200;

export const agentConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    modelPolicy: modelPolicySchema.optional(),
    maxRepairRounds: z.number().int().min(0).max(10).default(defaultRepairRounds),
    instructions: z.string().max(4000).optional(),
    contextTokens: z.number().int().min(minContextTokens).max(2_000_000).optional(),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;

export const agentIdPattern = /^[a-z][a-z0-9-]{0,62}$/;
