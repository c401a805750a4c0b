export { startProjections, projectionMigrations } from './projectionRunner.js';
export type { ProjectionRunnerOptions } from './projectionRunner.js';
