import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Bus, Projection } from '../contracts/index.js';
import { projectionGroupId } from './projectionRunner.js';

/**
 * `awp_projection_lag_messages{projection}`: messages on a projection's topics its consumer
 * group has not committed. Read from the bus at scrape time, so it is never stale and costs
 * nothing between scrapes.
 */
export function registerProjectionLag(
  registry: Registry,
  bus: Bus,
  projections: readonly Projection[],
): void {
  new Gauge({
    name: 'awp_projection_lag_messages',
    help: 'Messages on the topics of a projection that it has not processed yet',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      for (const projection of projections) {
        try {
          this.set(
            { projection: projection.name },
            await bus.lag(projectionGroupId(projection), projection.topics),
          );
        } catch {
          // An unreachable bus shows as a missing sample, and /readyz says why.
          this.remove({ projection: projection.name });
        }
      }
    },
  });
}
