import { z } from 'zod';
import { AwpError, tenantTiers } from '../../../contracts/index.js';
import type { TenantTier } from '../../../contracts/index.js';

/** What one tier allows a tenant. */
export interface TierLimits {
  /** Workflow definitions the tenant may have. */
  workflows: number;
  /** Executions started per calendar month (UTC). */
  executionsPerMonth: number;
  /** Executions started and not yet completed, failed or cancelled. */
  concurrentExecutions: number;
  /** LLM tokens (input + output) per calendar month (UTC). */
  llmTokensPerMonth: number;
  /** API requests per minute, enforced by the gateway's rate limiter. */
  apiRequestsPerMinute: number;
}

export type TierLimitsByTier = Readonly<Record<TenantTier, Readonly<TierLimits>>>;

/** The names of the limits, in the order reports list them. */
export const tierLimitNames = [
  'workflows',
  'executionsPerMonth',
  'concurrentExecutions',
  'llmTokensPerMonth',
  'apiRequestsPerMinute',
] as const satisfies readonly (keyof TierLimits)[];

/**
 * Each tier about 10–20× the one below: free is for trying AWP out, pro for a team running
 * production workflows, enterprise for a company-wide platform. Override with AWP_TIER_LIMITS.
 */
export const defaultTierLimits: TierLimitsByTier = {
  free: {
    workflows: 10,
    executionsPerMonth: 1_000,
    concurrentExecutions: 5,
    llmTokensPerMonth: 100_000,
    apiRequestsPerMinute: 60,
  },
  pro: {
    workflows: 200,
    executionsPerMonth: 100_000,
    concurrentExecutions: 50,
    llmTokensPerMonth: 5_000_000,
    apiRequestsPerMinute: 600,
  },
  enterprise: {
    workflows: 5_000,
    executionsPerMonth: 10_000_000,
    concurrentExecutions: 500,
    llmTokensPerMonth: 100_000_000,
    apiRequestsPerMinute: 6_000,
  },
};

export const tierLimitsVariable = 'AWP_TIER_LIMITS';

const quota = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');
// Zero requests a minute would lock a tier out of the API altogether: suspend tenants instead.
const requestRate = quota.min(1, 'must be at least 1');

const limitsOverride = z
  .object(
    {
      workflows: quota,
      executionsPerMonth: quota,
      concurrentExecutions: quota,
      llmTokensPerMonth: quota,
      apiRequestsPerMinute: requestRate,
    },
    { error: 'must be an object of limits, e.g. {"workflows":20}' },
  )
  .partial()
  .strict();

const tiersOverride = z
  .object(
    Object.fromEntries(tenantTiers.map((tier) => [tier, limitsOverride.optional()])) as Record<
      TenantTier,
      z.ZodOptional<typeof limitsOverride>
    >,
    { error: 'must be a JSON object keyed by tier, e.g. {"free":{"apiRequestsPerMinute":30}}' },
  )
  .strict();

/** An operator's partial override, e.g. `{"free":{"apiRequestsPerMinute":30}}`. */
export type TierLimitsOverride = z.infer<typeof tiersOverride>;

/**
 * Reads AWP_TIER_LIMITS (JSON; unset or blank means the defaults): the tiers and limits it names
 * replace the defaults, the rest stay. Throws an `AwpError('validation')` whose message names the
 * variable and the offending field, e.g. `AWP_TIER_LIMITS: 'free.workflows' must be a whole
 * number (got "ten")`.
 */
export function parseTierLimits(
  text: string | undefined,
  defaults: TierLimitsByTier = defaultTierLimits,
): TierLimitsByTier {
  const read = readTierLimits(text, defaults);
  if ('limits' in read) return read.limits;
  throw new AwpError('validation', `${tierLimitsVariable}: ${read.problem}`, {
    field: read.field === '(root)' ? tierLimitsVariable : `${tierLimitsVariable}.${read.field}`,
  });
}

/**
 * The same reading as a zod schema over the variable's text, for a config module that validates
 * every variable in one pass and prefixes each message with the variable's name.
 */
export const tierLimitsSetting = z
  .string()
  .optional()
  .transform((text, ctx): TierLimitsByTier => {
    const read = readTierLimits(text, defaultTierLimits);
    if ('limits' in read) return read.limits;
    ctx.addIssue({ code: 'custom', message: read.problem });
    return z.NEVER;
  });

/** The defaults with an override's tiers and limits laid over them. */
export function mergeTierLimits(
  defaults: TierLimitsByTier,
  override: TierLimitsOverride,
): TierLimitsByTier {
  return Object.fromEntries(
    tenantTiers.map((tier) => [tier, { ...defaults[tier], ...override[tier] }]),
  ) as unknown as TierLimitsByTier;
}

type Reading = { limits: TierLimitsByTier } | { field: string; problem: string };

function readTierLimits(text: string | undefined, defaults: TierLimitsByTier): Reading {
  if (text === undefined || text.trim() === '') return { limits: defaults };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { field: '(root)', problem: `is not valid JSON (${(error as Error).message})` };
  }
  const parsed = tiersOverride.safeParse(json);
  if (parsed.success) return { limits: mergeTierLimits(defaults, parsed.data) };
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const field =
    unknownKeyPath(issue) ?? (path.length === 0 ? '(root)' : path.map(String).join('.'));
  const got = path.length === 0 ? undefined : valueAt(json, path);
  const problem = describeIssue(issue, got);
  return { field, problem: field === '(root)' ? problem : `'${field}' ${problem}` };
}

type Issue = z.core.$ZodIssue | undefined;

/** `.strict()` reports an unknown key on its parent object: name the key itself. */
function unknownKeyPath(issue: Issue): string | undefined {
  if (issue?.code !== 'unrecognized_keys') return undefined;
  return [...issue.path.map(String), issue.keys[0] ?? ''].join('.');
}

function describeIssue(issue: Issue, got: unknown): string {
  if (issue === undefined) return 'is invalid';
  if (issue.code === 'unrecognized_keys') {
    return issue.path.length === 0
      ? `is not a tier (tiers: ${tenantTiers.join(', ')})`
      : `is not a limit (limits: ${tierLimitNames.join(', ')})`;
  }
  const json = JSON.stringify(got);
  const shown =
    json === undefined ? '' : ` (got ${json.length > 40 ? `${json.slice(0, 40)}…` : json})`;
  return `${issue.message}${shown}`;
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      typeof value === 'object' && value !== null
        ? (value as Record<PropertyKey, unknown>)[key]
        : undefined,
    json,
  );
}
