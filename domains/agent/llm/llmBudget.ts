/**
 * The tenant's allowance of language-model use, checked before every routed call. The platform
 * binds it to the tier's monthly LLM-token quota; over it, `assertWithinBudget` throws
 * `AwpError('quota_exceeded', …)` and no provider is called.
 */
export interface LlmBudget {
  assertWithinBudget(accountId: string): Promise<void>;
}

/** No limit: for tools and tests that run without tenants. */
export const unlimitedLlmBudget: LlmBudget = {
  assertWithinBudget: () => Promise.resolve(),
};
