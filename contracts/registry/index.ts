export { compatibilityLevels, findIncompatibilities } from './compatibility.js';
export type { CompatibilityLevel, Incompatibility } from './compatibility.js';
export { schemaRegistryMigrations } from './registryMigrations.js';
export { createSchemaRegistryRouter } from './registryRoutes.js';
export type { SchemaRegistryRouterOptions } from './registryRoutes.js';
export { createSchemaRegistryStore, defaultCompatibilityLevel } from './registryStore.js';
export type {
  Registration,
  SchemaRegistryStore,
  StoredSchema,
  SubjectVersion,
} from './registryStore.js';
export { SchemaRegistryError } from './registryErrors.js';
