import type { TestProject } from 'vitest/node';
import { probes, serviceNames } from './serviceProbes.js';
import type { ServiceName } from './serviceProbes.js';

interface ServiceState {
  available: boolean;
  reason?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Real services that answered before the run, with the reason for those that did not. */
    services: Record<ServiceName, ServiceState>;
  }
}

/**
 * Probes the real services once per run. With CI=true a missing service fails the run here,
 * loudly: CI must never pass by skipping the tests that need PostgreSQL, Kafka or Redis.
 */
export default async function setup(project: TestProject): Promise<void> {
  const results = await Promise.all(
    serviceNames.map(async (name): Promise<readonly [ServiceName, ServiceState]> => {
      try {
        await probes[name]();
        return [name, { available: true }] as const;
      } catch (error) {
        return [name, { available: false, reason: (error as Error).message }] as const;
      }
    }),
  );
  const services = Object.fromEntries(results) as Record<ServiceName, ServiceState>;
  const missing = results.filter(([, r]) => !r.available);
  if (missing.length > 0) {
    const lines = missing.map(([name, r]) => `  ${name}: ${r.reason}`).join('\n');
    if (process.env.CI === 'true') {
      throw new Error(
        `CI=true and real services are unreachable (run 'npm run services:up'):\n${lines}`,
      );
    }
    console.warn(
      `\nSkipping tests that need these services (run 'npm run services:up'):\n${lines}\n`,
    );
  } else {
    console.log(`real services reachable: ${serviceNames.join(', ')}`);
  }
  project.provide('services', services);
}
