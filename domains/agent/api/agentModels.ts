/** One model a policy may use: a configured provider's name and the vendor's model id. */
export interface ModelCandidateView {
  /** @minLength 1 @maxLength 64 */
  provider: string;
  /** @minLength 1 @maxLength 200 */
  model: string;
}

/** Which models answer, preferred first, then fallbacks; and what one call may cost at most. */
export interface ModelPolicyView {
  candidates: ModelCandidateView[];
  /** @isInt */
  maxCostMicroUsdPerCall?: number;
}

/** What a tenant sets for one of its agents; `default` is the tenant-wide policy. */
export interface AgentConfigBody {
  /** @minLength 1 @maxLength 200 */
  name: string;
  modelPolicy?: ModelPolicyView;
  /**
   * Repair rounds a generated draft gets when it does not validate (default 3).
   * @isInt
   * @minimum 0
   * @maximum 10
   */
  maxRepairRounds?: number;
  /** @maxLength 4000 */
  instructions?: string;
  /**
   * Tokens of conversation history a prompt carries verbatim (default 24000); older turns
   * are summarised by the model to fit.
   * @isInt
   * @minimum 200
   * @maximum 2000000
   */
  contextTokens?: number;
}

export interface AgentView extends AgentConfigBody {
  agentId: string;
  maxRepairRounds: number;
}

export interface AgentList {
  items: AgentView[];
}
