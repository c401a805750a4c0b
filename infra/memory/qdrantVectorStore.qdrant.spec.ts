import { QdrantClient } from '@qdrant/js-client-rest';
import { describe } from 'vitest';
import { uniqueSuffix } from '../../test/support/realServices.js';
import {
  contractDimension,
  vectorStoreContract,
} from '../../test/contracts/vectorStoreContract.js';
import { qdrantCollectionName } from './qdrantCollection.js';
import { createQdrantVectorStore } from './qdrantVectorStore.js';

/**
 * Qdrant is not among the services infra/dev can start on these machines (no Docker, and no
 * registry reachable from here ships the server), so this suite is its own Vitest project,
 * `qdrant`, which vitest.config.ts defines only when AWP_QDRANT_URL names a server:
 * `AWP_QDRANT_URL=http://localhost:6333 npx vitest run --project qdrant`.
 */
const url = process.env.AWP_QDRANT_URL;
if (!url) throw new Error('set AWP_QDRANT_URL to the Qdrant server this suite runs against');

describe('Qdrant memory store (distributed profile)', () => {
  vectorStoreContract(async () => {
    const client = new QdrantClient({ url: url!, apiKey: process.env.AWP_QDRANT_API_KEY });
    // A collection of its own per run, so runs in parallel or after a crash do not meet.
    const prefix = `awp_test_${uniqueSuffix()}_`;
    const store = await createQdrantVectorStore({
      client,
      dimension: contractDimension,
      collectionPrefix: prefix,
    });
    return {
      store,
      async close() {
        await client.deleteCollection(qdrantCollectionName(prefix, contractDimension));
      },
    };
  });
});
