import type { QdrantClient } from '@qdrant/js-client-rest';
import { AwpError } from '../../contracts/index.js';

/** Payload fields every query filters on, each with a keyword index. */
export const indexedPayloadFields = ['accountId', 'scope', 'userId', 'kind'] as const;

/** One collection per dimension, as pgvector has one table per dimension. */
export const qdrantCollectionName = (prefix: string, dimension: number) =>
  `${prefix}agent_memory_${dimension}`;

/**
 * Creates the collection and its payload indexes when missing; safe to run from every replica
 * at start-up. Laid out for many tenants in one collection, as Qdrant's multitenancy guide
 * advises: `accountId` is a tenant index (points stored grouped by tenant), and the HNSW graph
 * is built per tenant (`payload_m`) instead of globally (`m: 0`), since no search crosses
 * tenants.
 */
export async function ensureQdrantCollection(
  client: QdrantClient,
  name: string,
  dimension: number,
): Promise<void> {
  const { exists } = await client.collectionExists(name);
  if (!exists) {
    try {
      await client.createCollection(name, {
        vectors: { size: dimension, distance: 'Cosine' },
        hnsw_config: { m: 0, payload_m: 16 },
      });
    } catch (error) {
      // Another replica created it between our check and our create: that is what we wanted.
      if (statusOf(error) !== 409) throw error;
    }
  }
  await checkDimension(client, name, dimension);
  for (const field of indexedPayloadFields) {
    await client.createPayloadIndex(name, {
      field_name: field,
      field_schema:
        field === 'accountId' ? { type: 'keyword', is_tenant: true } : { type: 'keyword' },
      wait: true,
    });
  }
}

async function checkDimension(client: QdrantClient, name: string, dimension: number) {
  const info = await client.getCollection(name);
  const vectors = info.config.params.vectors;
  const size = vectors && 'size' in vectors ? Number(vectors.size) : undefined;
  if (size !== dimension) {
    throw new AwpError(
      'internal',
      `Qdrant collection '${name}' holds vectors of ${size ?? 'named'} dimensions, not ` +
        `${dimension}; it was created by something else: rename or remove it`,
    );
  }
}

/** The HTTP status of a failed Qdrant call, when the server answered at all. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status;
  // The client reports statuses it does not expect in the message only.
  const match = /Unexpected Response: (\d{3})/.exec((error as Error | null)?.message ?? '');
  return match ? Number(match[1]) : undefined;
}
