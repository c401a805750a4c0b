export { createApiDocsRouter } from './apiDocsRoutes.js';
