import { AwpError, StreamVersionConflict, platformTopic } from '../../../contracts/index.js';
import type {
  Actor,
  Clock,
  EventStore,
  Queryable,
  SecretChangedData,
  StateWrite,
} from '../../../contracts/index.js';
import type { MasterKeys } from './ports/masterKeys.js';
import { openSecret, rewrapSecret, sealSecret, sealingContext } from './secretSealing.js';
import type { SealedSecret } from './secretSealing.js';

/** What anyone may know about a secret: never its value. */
export interface SecretMetadata {
  name: string;
  /** Bumped by every change, re-encryption included. */
  version: number;
  updatedAt: string;
  updatedBy: Actor;
}

export interface SecretVaultDeps {
  db: Queryable;
  eventStore: EventStore;
  keys: MasterKeys;
  clock: Clock;
}

/** Who asks for a change, for the event that records it. */
export interface ChangeRequest {
  actor: Actor;
  correlationId: string;
}

/** Usable as `$secrets.<name>` in a runtime expression: jq reads it as a plain field. */
export const secretNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const maxSecretBytes = 64 * 1024;
export const maxSecretsPerAccount = 1_000;

export const secretStreamId = (accountId: string, name: string) => `secret-${accountId}:${name}`;

interface SecretRow {
  name: string;
  version: number;
  key_id: string | null;
  wrapped_key: Buffer | null;
  nonce: Buffer | null;
  ciphertext: Buffer | null;
  updated_at: Date | string;
  updated_by: Actor | string;
}

/**
 * Each tenant's secrets, encrypted at rest. A value goes in (write) and comes out only to the
 * workflow engine (resolve), never through the API. Every change appends `SecretChanged`
 * (name and version, no value) on `secret-<account>:<name>`, and the ciphertext row changes in
 * the same transaction, so the audit trail and the store cannot disagree.
 */
export class SecretVault {
  constructor(private readonly deps: SecretVaultDeps) {}

  async list(accountId: string): Promise<SecretMetadata[]> {
    const { rows } = await this.deps.db.query<SecretRow>(
      `SELECT name, version, updated_at, updated_by FROM platform_secrets
       WHERE account_id = $1 AND ciphertext IS NOT NULL ORDER BY name`,
      [accountId],
    );
    return rows.map(metadataOf);
  }

  async describe(accountId: string, name: string): Promise<SecretMetadata> {
    const row = await this.row(accountId, checkedName(name));
    if (!row?.ciphertext) throw notFound(name);
    return metadataOf(row);
  }

  /** Creates the secret or replaces its value (rotation); `created` tells which. */
  async write(
    accountId: string,
    name: string,
    value: unknown,
    request: ChangeRequest,
  ): Promise<{ secret: SecretMetadata; created: boolean }> {
    checkedName(name);
    checkedValue(value);
    const current = await this.row(accountId, name);
    const created = !current?.ciphertext;
    if (created) await this.checkRoom(accountId);
    const sealed = await sealSecret(value, this.deps.keys, sealingContext(accountId, name));
    const version = (current?.version ?? 0) + 1;
    const updatedAt = this.deps.clock.now();
    await this.append(accountId, name, current?.version ?? 0, request, {
      data: { name, change: 'written', version, keyId: sealed.keyId },
      write: {
        sql: `INSERT INTO platform_secrets (account_id, name, version, key_id, wrapped_key, nonce,
                ciphertext, updated_at, updated_by)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
              ON CONFLICT (account_id, name) DO UPDATE SET version = EXCLUDED.version,
                key_id = EXCLUDED.key_id, wrapped_key = EXCLUDED.wrapped_key,
                nonce = EXCLUDED.nonce, ciphertext = EXCLUDED.ciphertext,
                updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        params: [
          ...[accountId, name, version, sealed.keyId, sealed.wrappedKey, sealed.nonce],
          ...[sealed.ciphertext, updatedAt.toISOString(), JSON.stringify(request.actor)],
        ],
      },
    });
    return {
      secret: { name, version, updatedAt: updatedAt.toISOString(), updatedBy: request.actor },
      created,
    };
  }

  async remove(accountId: string, name: string, request: ChangeRequest): Promise<void> {
    const current = await this.row(accountId, checkedName(name));
    if (!current?.ciphertext) throw notFound(name);
    const version = current.version + 1;
    await this.append(accountId, name, current.version, request, {
      data: { name, change: 'deleted', version, keyId: null },
      // The row stays, emptied: its version keeps the stream's, for the next write.
      write: {
        sql: `UPDATE platform_secrets SET version = $3, key_id = NULL, wrapped_key = NULL,
                nonce = NULL, ciphertext = NULL, updated_at = $4, updated_by = $5::jsonb
              WHERE account_id = $1 AND name = $2`,
        params: [
          ...[accountId, name, version, this.deps.clock.now().toISOString()],
          JSON.stringify(request.actor),
        ],
      },
    });
  }

  /**
   * The values of the named secrets that exist, for the engine only. A value this process
   * cannot decrypt is an operator's problem (a retired master key), reported as such.
   */
  async resolve(accountId: string, names: readonly string[]): Promise<Record<string, unknown>> {
    const wanted = names.filter((name) => secretNamePattern.test(name));
    if (wanted.length === 0) return {};
    const { rows } = await this.deps.db.query<SecretRow>(
      `SELECT name, version, key_id, wrapped_key, nonce, ciphertext, updated_at, updated_by
       FROM platform_secrets
       WHERE account_id = $1 AND name = ANY($2::text[]) AND ciphertext IS NOT NULL`,
      [accountId, wanted],
    );
    const found: Record<string, unknown> = {};
    for (const row of rows) {
      found[row.name] = await this.open(accountId, row);
    }
    return found;
  }

  /**
   * Master-key rotation: every data key wrapped under a key other than the current one is
   * re-wrapped under it, one secret per transaction, each recorded as `rewrapped`. Values are
   * not decrypted. Safe to run again, and while the platform serves.
   */
  async rewrapAll(request: ChangeRequest): Promise<{ rewrapped: number; failed: string[] }> {
    let rewrapped = 0;
    const failed: string[] = [];
    const { rows } = await this.deps.db.query<SecretRow & { account_id: string }>(
      `SELECT account_id, name, version, key_id, wrapped_key, nonce, ciphertext, updated_at,
              updated_by
       FROM platform_secrets WHERE ciphertext IS NOT NULL AND key_id <> $1
       ORDER BY account_id, name`,
      [this.deps.keys.currentKeyId],
    );
    for (const row of rows) {
      const where = `${row.account_id}/${row.name}`;
      try {
        const context = sealingContext(row.account_id, row.name);
        const sealed = await rewrapSecret(sealedOf(row), this.deps.keys, context);
        const version = row.version + 1;
        await this.append(row.account_id, row.name, row.version, request, {
          data: { name: row.name, change: 'rewrapped', version, keyId: sealed.keyId },
          write: {
            sql: `UPDATE platform_secrets SET version = $3, key_id = $4, wrapped_key = $5
                  WHERE account_id = $1 AND name = $2`,
            params: [row.account_id, row.name, version, sealed.keyId, sealed.wrappedKey],
          },
        });
        rewrapped++;
      } catch (error) {
        // A secret changed meanwhile is under the current key already; anything else is listed.
        if (error instanceof AwpError && error.code === 'conflict') continue;
        failed.push(`${where}: ${(error as Error).message}`);
      }
    }
    return { rewrapped, failed };
  }

  private async open(accountId: string, row: SecretRow): Promise<unknown> {
    try {
      return await openSecret(sealedOf(row), this.deps.keys, sealingContext(accountId, row.name));
    } catch (error) {
      throw new AwpError(
        'unavailable',
        `secret '${row.name}' of account '${accountId}' cannot be decrypted with master key ` +
          `'${row.key_id}': ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  private async row(accountId: string, name: string): Promise<SecretRow | undefined> {
    const { rows } = await this.deps.db.query<SecretRow>(
      `SELECT name, version, key_id, wrapped_key, nonce, ciphertext, updated_at, updated_by
       FROM platform_secrets WHERE account_id = $1 AND name = $2`,
      [accountId, name],
    );
    return rows[0];
  }

  private async checkRoom(accountId: string): Promise<void> {
    const { rows } = await this.deps.db.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM platform_secrets
       WHERE account_id = $1 AND ciphertext IS NOT NULL`,
      [accountId],
    );
    if (Number(rows[0]?.count ?? 0) >= maxSecretsPerAccount) {
      throw new AwpError(
        'quota_exceeded',
        `an account holds at most ${maxSecretsPerAccount} secrets; delete one first`,
      );
    }
  }

  private async append(
    accountId: string,
    name: string,
    currentVersion: number,
    request: ChangeRequest,
    change: { data: SecretChangedData; write: StateWrite },
  ): Promise<void> {
    try {
      await this.deps.eventStore.append({
        streamId: secretStreamId(accountId, name),
        expectedVersion: currentVersion === 0 ? 'no_stream' : currentVersion,
        events: [{ type: 'SecretChanged', data: change.data }],
        metadata: {
          accountId,
          correlationId: request.correlationId,
          causationId: null,
          actor: request.actor,
        },
        topic: platformTopic,
        alongside: [change.write],
      });
    } catch (error) {
      if (error instanceof StreamVersionConflict) {
        throw new AwpError('conflict', `secret '${name}' changed meanwhile; try again`);
      }
      throw error;
    }
  }
}

function checkedName(name: string): string {
  if (!secretNamePattern.test(name)) {
    throw new AwpError(
      'validation',
      'a secret name starts with a letter or _, then letters, digits or _ (at most 128)',
      { field: 'name' },
    );
  }
  return name;
}

function checkedValue(value: unknown): void {
  if (value === undefined || value === null) {
    throw new AwpError('validation', 'a secret needs a value (any JSON but null)', {
      field: 'value',
    });
  }
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > maxSecretBytes) {
    throw new AwpError('validation', `a secret value is at most ${maxSecretBytes / 1024} KiB`, {
      field: 'value',
    });
  }
}

function notFound(name: string): AwpError {
  return new AwpError('not_found', `secret '${name}' does not exist`);
}

function metadataOf(row: SecretRow): SecretMetadata {
  return {
    name: row.name,
    version: row.version,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: typeof row.updated_by === 'string' ? JSON.parse(row.updated_by) : row.updated_by,
  };
}

function sealedOf(row: SecretRow): SealedSecret {
  if (!row.key_id || !row.wrapped_key || !row.nonce || !row.ciphertext) {
    throw new AwpError('internal', `secret '${row.name}' has no stored value`);
  }
  return {
    keyId: row.key_id,
    wrappedKey: Buffer.from(row.wrapped_key),
    nonce: Buffer.from(row.nonce),
    ciphertext: Buffer.from(row.ciphertext),
  };
}
