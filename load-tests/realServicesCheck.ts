import { probes } from '../test/setup/serviceProbes.js';

/** True when PostgreSQL, Kafka and Redis from `npm run services:up` all answer. */
export async function realServicesReachable(): Promise<boolean> {
  try {
    await Promise.all([probes.postgres(), probes.kafka(), probes.redis()]);
    return true;
  } catch (error) {
    console.log(`(real services unreachable, skipping their rows: ${(error as Error).message})`);
    return false;
  }
}
