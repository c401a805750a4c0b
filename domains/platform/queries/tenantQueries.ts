import type { Queryable } from '../../../contracts/index.js';
import type { TenantSummary } from '../readModels/tenantSummary.js';
import type { TenantStatus } from '../tenants/tenant.js';
import { currentTier } from '../tenants/tiers.js';
import type { StoredTenantTier } from '../tenants/tiers.js';

interface TenantRow {
  account_id: string;
  name: string;
  tier: string;
  status: string;
  suspended_reason: string | null;
  created_at: Date;
  version: number;
}

const columns = 'account_id, name, tier, status, suspended_reason, created_at, version';

const toSummary = (row: TenantRow): TenantSummary => ({
  accountId: row.account_id,
  name: row.name,
  // Rows written before `standard` was renamed hold it until the migration or a rebuild.
  tier: currentTier(row.tier as StoredTenantTier),
  status: row.status as TenantStatus,
  suspendedReason: row.suspended_reason,
  createdAt: row.created_at.toISOString(),
  version: row.version,
});

export async function findTenant(db: Queryable, accountId: string): Promise<TenantSummary | null> {
  const { rows } = await db.query<TenantRow>(
    `SELECT ${columns} FROM platform_tenants WHERE account_id = $1`,
    [accountId],
  );
  return rows[0] ? toSummary(rows[0]) : null;
}

export interface TenantPage {
  items: TenantSummary[];
  /** Pass as `after` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** Keyset pagination by account id: UUIDv7 ids sort by creation time. */
export async function listTenants(
  db: Queryable,
  page: { limit: number; after?: string; status?: TenantStatus },
): Promise<TenantPage> {
  const { rows } = await db.query<TenantRow>(
    `SELECT ${columns} FROM platform_tenants
     WHERE ($1::text IS NULL OR account_id > $1) AND ($3::text IS NULL OR status = $3)
     ORDER BY account_id LIMIT $2`,
    [page.after ?? null, page.limit + 1, page.status ?? null],
  );
  const items = rows.slice(0, page.limit).map(toSummary);
  const hasMore = rows.length > page.limit;
  return { items, nextCursor: hasMore ? (items.at(-1)?.accountId ?? null) : null };
}
