import type { Middleware } from 'koa';
import type { Clock, Database, EventStore, IdGenerator, Migration } from '../../contracts/index.js';
import { ApiKeys, apiKeyMigrations, createAuthAudit } from '../../domains/platform/index.js';
import type { Authenticator } from '../../gateway/index.js';
import { auditDenials } from '../../gateway/auth/auditDenials.js';
import type { ApiKeyVerifier } from '../../gateway/auth/apiKeyVerifier.js';
import { credentialAuthenticator } from '../../gateway/auth/credentialAuthenticator.js';
import { createJwtVerifier } from '../../gateway/auth/jwt/index.js';
import type { TrustedIssuer } from '../../gateway/auth/jwt/index.js';
import { rateLimit } from '../../gateway/rateLimit/index.js';
import type { RateLimiter } from '../../gateway/rateLimit/index.js';
import { quotaAdmission, tenantStanding } from '../../gateway/tenancy/tenantAdmission.js';
import type {
  QuotaGate,
  TenantDirectory,
  TenantStanding,
} from '../../gateway/tenancy/tenantStanding.js';
import { sameSecret } from '../admin/adminAccess.js';
import { openDevIssuer } from '../auth/devIssuer.js';
import type { DevIssuer } from '../auth/devIssuer.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { createMemoryRateLimiter } from '../rateLimit/memoryRateLimiter.js';

export interface GatewaySecurityDeps {
  config: Config;
  db: Database;
  eventStore: EventStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  tenants: { directory: TenantDirectory; quotas: QuotaGate };
  /** Replaces credential checking (tests that need a fixed identity). */
  authenticator?: Authenticator;
}

export interface GatewaySecurity {
  authenticator: Authenticator;
  /** In order: audit of denials, tenant standing, rate limit, quotas. */
  guards: Middleware[];
  /** The development issuer this process trusts, when it trusts one. */
  devIssuer: DevIssuer | undefined;
  close(): Promise<void>;
}

/** Every process authenticates; these tables are read by every process (applied once). */
export const gatewaySecurityMigrations: readonly Migration[] = apiKeyMigrations;

/**
 * Who may call, and how much: bearer JWTs of the trusted OIDC issuers (and the development
 * issuer where it is enabled), API keys, the embedded profile's `X-AWP-Account`; then suspended
 * tenants, per-tier rate limits and quotas, with every denial audited.
 */
export async function createGatewaySecurity(deps: GatewaySecurityDeps): Promise<GatewaySecurity> {
  const { config } = deps;
  const embedded = config.databaseUrl === undefined;
  const devIssuer = config.devTokens ? await openDevIssuer(config.dataDir) : undefined;
  const issuers: TrustedIssuer[] = [...config.oidcIssuers];
  if (devIssuer) {
    issuers.push({
      issuer: devIssuer.issuer,
      audience: devIssuer.audience,
      keys: devIssuer.publicKeys,
      algorithms: ['EdDSA'],
      claims: { user: 'sub', account: 'awp_account', roles: 'roles' },
      roleMap: {},
      clockToleranceSeconds: 30,
    });
  }
  const apiKeys = new ApiKeys({ db: deps.db, eventStore: deps.eventStore, clock: deps.clock });
  const apiKeyVerifier: ApiKeyVerifier = {
    async verify(key) {
      const verified = await apiKeys.verify(key);
      return {
        actor: { type: 'api_key', id: verified.keyId },
        accountId: verified.accountId,
        roles: verified.roles,
        credential: 'api_key',
      };
    },
  };
  const jwt = issuers.length > 0 ? createJwtVerifier({ issuers }) : undefined;
  const authenticator =
    deps.authenticator ??
    credentialAuthenticator({
      ...(jwt ? { jwt } : {}),
      apiKeys: apiKeyVerifier,
      devHeader: embedded,
      ...(config.adminToken ? { isOperatorToken: sameToken(config.adminToken) } : {}),
    });

  // Loaded only when used, as the cache is: the embedded profile never needs ioredis.
  const limiter: RateLimiter = config.redisUrl
    ? (await import('../rateLimit/redisRateLimiter.js')).createRedisRateLimiter({
        url: config.redisUrl,
        keyPrefix: `${config.topicPrefix}awp:`,
        logger: deps.logger,
      })
    : createMemoryRateLimiter();
  const audit = createAuthAudit({ eventStore: deps.eventStore, ids: deps.ids });

  return {
    authenticator,
    guards: [
      auditDenials({
        audit,
        onError: (error) => deps.logger.warn({ err: error }, 'could not record an AuthEvent'),
      }),
      tenantStanding(deps.tenants.directory),
      rateLimit({
        limiter,
        policyFor(ctx) {
          const standing = ctx.state.standing as TenantStanding | undefined;
          const accountId = (ctx.state.requestContext as { accountId?: string }).accountId;
          return standing && accountId
            ? { key: `account:${accountId}`, limitPerMinute: standing.apiRequestsPerMinute }
            : undefined;
        },
      }),
      quotaAdmission(deps.tenants.quotas),
    ],
    devIssuer,
    async close() {
      await jwt?.close?.();
      await limiter.close?.();
    },
  };
}

/** The admin guard's own comparison: constant time, whatever part of the token matched. */
function sameToken(expected: string): (credential: string) => boolean {
  const wanted = Buffer.from(expected, 'utf8');
  return (credential) => sameSecret(Buffer.from(credential, 'utf8'), wanted);
}
