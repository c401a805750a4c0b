import type { Actor } from '../../../../contracts/index.js';

/**
 * Where a connector's credential value goes: the tenant's secret vault (bound by the host, as
 * the agent domain cannot reach the platform's vault itself). The connector keeps only the
 * secret's name; workflows use it as `$secrets.<name>`. Implementations never log the value.
 */
export interface ConnectorCredentials {
  /** Creates or replaces the tenant secret `secretName`. */
  store(accountId: string, secretName: string, value: string, actor: Actor): Promise<void>;
}
