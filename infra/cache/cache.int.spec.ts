import { describe } from 'vitest';
import { devEndpoints } from '../dev/endpoints.js';
import { systemClock } from '../system/systemClock.js';
import { describeWithServices, uniqueSuffix } from '../../test/support/realServices.js';
import { cacheContract } from '../../test/contracts/cacheContract.js';
import { createMemoryCache } from './memoryCache.js';
import { createRedisCache } from './redisCache.js';

describe('in-memory cache (embedded profile)', () => {
  cacheContract(async () => createMemoryCache(systemClock));
});

describeWithServices(['redis'], 'Redis cache (distributed profile)', () => {
  cacheContract(async () =>
    createRedisCache({ url: devEndpoints.redis.url, keyPrefix: `test-${uniqueSuffix()}:` }),
  );
});
