export { createAgentApiRouter } from './agentApiRouter.js';
export type { AgentApiDeps } from './requestScope.js';
export type {
  ConnectorCredentialsBody,
  ConnectorId,
  ConnectorList,
  ConnectorUpload,
  ConnectorUrlImport,
} from './connectorModels.js';
// tsoa finds the controllers through this entry file (tsoa.json, `domains`).
export { ConnectorsController } from './connectorsController.js';
export type { ReplyRequestBody, ReplyTurnBody } from './replyModels.js';
