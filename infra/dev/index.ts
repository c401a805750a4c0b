/**
 * Programmatic entry to the development services, for test global setups and scripts:
 * the same code `npm run services:*` runs, without a subprocess.
 */
export {
  servicesDown,
  servicesStatus,
  servicesUp,
  DevServicesError,
  devServices,
} from './lifecycle.js';
export type { LifecycleOptions, ServiceEvent } from './lifecycle.js';
export { ServiceError, serviceNames } from './devService.js';
export type {
  DevService,
  DownOutcome,
  Progress,
  ServiceName,
  ServiceStatus,
  UpOutcome,
} from './devService.js';
export { PrerequisiteError } from './prerequisites.js';
export { devEndpoints } from './endpoints.js';
