export { startProjections, projectionMigrations, projectionGroupId } from './projectionRunner.js';
export { registerProjectionLag } from './projectionMetrics.js';
export type { ProjectionRunnerOptions } from './projectionRunner.js';
