import {
  AwpError,
  StreamVersionConflict,
  isRole,
  platformTopic,
} from '../../../contracts/index.js';
import type {
  Actor,
  AuthEventData,
  Clock,
  EventStore,
  Queryable,
  Role,
  StateWrite,
} from '../../../contracts/index.js';
import { issueKey, secretMatches, splitKey } from './apiKeyFormat.js';

/** An API key as listed: never the key itself, nor its hash. */
export interface ApiKeyView {
  keyId: string;
  name: string;
  roles: Role[];
  createdAt: string;
  createdBy: Actor;
  revokedAt: string | null;
}

/** Who the key speaks for, once verified. */
export interface VerifiedKey {
  keyId: string;
  accountId: string;
  roles: Role[];
}

export interface ApiKeysDeps {
  db: Queryable;
  eventStore: EventStore;
  clock: Clock;
  /** How long a verified key is trusted without asking the database again. Default 5 s. */
  cacheMs?: number;
}

export interface Caller {
  actor: Actor;
  roles: readonly Role[];
  correlationId: string;
}

export const maxKeysPerAccount = 100;
export const apiKeyStreamId = (keyId: string) => `api-key-${keyId}`;

interface KeyRow {
  key_id: string;
  account_id: string;
  name: string;
  roles: string[];
  secret_hash: Buffer;
  created_at: Date | string;
  created_by: Actor | string;
  revoked_at: Date | string | null;
}

/**
 * API keys for machine clients: scoped to one tenant and a set of roles, stored hashed, shown
 * once, revocable. Creation and revocation are `AuthEvent`s on `api-key-<id>`, written in the
 * transaction that changes the key's row.
 */
export class ApiKeys {
  private readonly cache = new Map<string, { row: KeyRow; readAt: number }>();

  constructor(private readonly deps: ApiKeysDeps) {}

  async create(
    accountId: string,
    request: { name: string; roles: readonly Role[] },
    caller: Caller,
  ): Promise<ApiKeyView & { key: string }> {
    const roles = [...new Set(request.roles)];
    if (roles.length === 0 || !roles.every(isRole)) {
      throw new AwpError('validation', 'roles must name at least one role', { field: 'roles' });
    }
    // Nobody hands out more than they hold: only an owner can make an owner key.
    if (roles.includes('owner') && !caller.roles.includes('owner')) {
      throw new AwpError('forbidden', 'only an owner can create a key with the owner role', {
        field: 'roles',
      });
    }
    await this.checkRoom(accountId);
    const issued = issueKey();
    const createdAt = this.deps.clock.now().toISOString();
    await this.append(issued.keyId, 'no_stream', accountId, caller, {
      data: authEvent('api_key_created', issued.keyId, roles, request.name),
      write: {
        sql: `INSERT INTO platform_api_keys (key_id, account_id, name, roles, secret_hash,
                created_at, created_by)
              VALUES ($1, $2, $3, $4::text[], $5, $6, $7::jsonb)`,
        params: [
          ...[issued.keyId, accountId, request.name, roles, issued.secretHash, createdAt],
          JSON.stringify(caller.actor),
        ],
      },
    });
    return {
      keyId: issued.keyId,
      key: issued.key,
      name: request.name,
      roles,
      createdAt,
      createdBy: caller.actor,
      revokedAt: null,
    };
  }

  async list(accountId: string): Promise<ApiKeyView[]> {
    const { rows } = await this.deps.db.query<KeyRow>(
      `SELECT key_id, account_id, name, roles, secret_hash, created_at, created_by, revoked_at
       FROM platform_api_keys WHERE account_id = $1 ORDER BY created_at, key_id`,
      [accountId],
    );
    return rows.map(viewOf);
  }

  async revoke(accountId: string, keyId: string, caller: Caller): Promise<void> {
    const row = await this.row(keyId);
    // Another tenant's key is as unknown as a key that never existed.
    if (!row || row.account_id !== accountId) {
      throw new AwpError('not_found', `API key '${keyId}' does not exist`);
    }
    if (row.revoked_at !== null) return;
    await this.append(keyId, 1, accountId, caller, {
      data: authEvent('api_key_revoked', keyId, row.roles, row.name),
      write: {
        sql: `UPDATE platform_api_keys SET revoked_at = $2 WHERE key_id = $1`,
        params: [keyId, this.deps.clock.now().toISOString()],
      },
    });
    this.cache.delete(keyId);
  }

  /**
   * The account and roles of a valid key. Unknown, altered and revoked keys are refused alike
   * to the caller; a revoked key takes effect within `cacheMs` on every replica.
   */
  async verify(key: string): Promise<VerifiedKey> {
    const parts = splitKey(key);
    if (!parts) throw new AwpError('unauthorized', 'the API key is malformed');
    const row = await this.cachedRow(parts.keyId);
    if (!row || !secretMatches(parts.secret, Buffer.from(row.secret_hash))) {
      throw new AwpError('unauthorized', 'the API key is not valid');
    }
    if (row.revoked_at !== null) throw new AwpError('unauthorized', 'the API key was revoked');
    return { keyId: row.key_id, accountId: row.account_id, roles: row.roles.filter(isRole) };
  }

  private async cachedRow(keyId: string): Promise<KeyRow | undefined> {
    const now = Date.now();
    const cached = this.cache.get(keyId);
    if (cached && now - cached.readAt < (this.deps.cacheMs ?? 5_000)) return cached.row;
    const row = await this.row(keyId);
    if (this.cache.size > 10_000) this.cache.clear();
    if (row) this.cache.set(keyId, { row, readAt: now });
    return row;
  }

  private async row(keyId: string): Promise<KeyRow | undefined> {
    const { rows } = await this.deps.db.query<KeyRow>(
      `SELECT key_id, account_id, name, roles, secret_hash, created_at, created_by, revoked_at
       FROM platform_api_keys WHERE key_id = $1`,
      [keyId],
    );
    return rows[0];
  }

  private async checkRoom(accountId: string): Promise<void> {
    const { rows } = await this.deps.db.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM platform_api_keys
       WHERE account_id = $1 AND revoked_at IS NULL`,
      [accountId],
    );
    if (Number(rows[0]?.count ?? 0) >= maxKeysPerAccount) {
      throw new AwpError(
        'quota_exceeded',
        `an account holds at most ${maxKeysPerAccount} active API keys; revoke one first`,
      );
    }
  }

  private async append(
    keyId: string,
    expectedVersion: 'no_stream' | number,
    accountId: string,
    caller: Caller,
    change: { data: AuthEventData; write: StateWrite },
  ): Promise<void> {
    try {
      await this.deps.eventStore.append({
        streamId: apiKeyStreamId(keyId),
        expectedVersion,
        events: [{ type: 'AuthEvent', data: change.data }],
        metadata: {
          accountId,
          correlationId: caller.correlationId,
          causationId: null,
          actor: caller.actor,
        },
        topic: platformTopic,
        alongside: [change.write],
      });
    } catch (error) {
      if (error instanceof StreamVersionConflict) {
        throw new AwpError('conflict', `API key '${keyId}' changed meanwhile; try again`);
      }
      throw error;
    }
  }
}

function authEvent(
  outcome: 'api_key_created' | 'api_key_revoked',
  keyId: string,
  roles: readonly string[],
  name: string,
): AuthEventData {
  return {
    outcome,
    method: 'api_key',
    subjectId: keyId,
    reason: null,
    remoteAddress: null,
    permission: null,
    roles: [...roles],
    label: name,
  };
}

function viewOf(row: KeyRow): ApiKeyView {
  return {
    keyId: row.key_id,
    name: row.name,
    roles: row.roles.filter(isRole),
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: typeof row.created_by === 'string' ? JSON.parse(row.created_by) : row.created_by,
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  };
}
