// What every domain's HTTP API shares. Not re-exported from contracts/index.ts: only the API
// layers need tsoa's runtime and Koa.
export type { Problem } from './problem.js';
export { validationProblems } from './validationProblems.js';
export { requirePermission, securityRequirementOf } from './securityRequirement.js';
export type { SecurityRequirement } from './securityRequirement.js';
export type { SameMembers } from './sameMembers.js';
