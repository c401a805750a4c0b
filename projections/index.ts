export { startProjections, projectionMigrations, projectionGroupId } from './projectionRunner.js';
export { registerProjectionLag } from './projectionMetrics.js';
export type {
  ProjectionRunner,
  ProjectionRunnerOptions,
  ProjectionStatus,
} from './projectionRunner.js';
