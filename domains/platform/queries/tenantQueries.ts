import type { Queryable } from '../../../contracts/index.js';
import type { TenantSummary } from '../readModels/tenantSummary.js';

interface TenantRow {
  account_id: string;
  name: string;
  tier: string;
  created_at: Date;
  version: number;
}

const toSummary = (row: TenantRow): TenantSummary => ({
  accountId: row.account_id,
  name: row.name,
  tier: row.tier,
  createdAt: row.created_at.toISOString(),
  version: row.version,
});

export async function findTenant(db: Queryable, accountId: string): Promise<TenantSummary | null> {
  const { rows } = await db.query<TenantRow>(
    'SELECT account_id, name, tier, created_at, version FROM platform_tenants WHERE account_id = $1',
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
  page: { limit: number; after?: string },
): Promise<TenantPage> {
  const { rows } = await db.query<TenantRow>(
    `SELECT account_id, name, tier, created_at, version FROM platform_tenants
     WHERE ($1::text IS NULL OR account_id > $1)
     ORDER BY account_id LIMIT $2`,
    [page.after ?? null, page.limit + 1],
  );
  const items = rows.slice(0, page.limit).map(toSummary);
  const hasMore = rows.length > page.limit;
  return { items, nextCursor: hasMore ? (items.at(-1)?.accountId ?? null) : null };
}
