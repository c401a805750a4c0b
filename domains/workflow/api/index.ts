export { createWorkflowApiRouter } from './workflowApiRouter.js';
export type { WorkflowApiDeps } from './requestScope.js';
export type {
  CloudEventBody,
  EventDelivery,
  ExecutionAccepted,
  ExecutionControlBody,
  ExecutionLinks,
  ExecutionPage,
  ExecutionStatusFilter,
  OutboundPolicyBody,
  OutboundPolicyResult,
  StartExecutionBody,
  WorkflowDocumentBody,
  WorkflowPage,
  WorkflowVersionDocument,
} from './apiModels.js';
// tsoa finds the controllers through this entry file (tsoa.json, `domains`).
export { WorkflowsController } from './workflowsController.js';
export { ExecutionsController } from './executionsController.js';
export { CloudEventsController } from './cloudEventsController.js';
export { OutboundPolicyController } from './outboundPolicyController.js';
