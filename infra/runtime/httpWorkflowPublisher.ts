import { forwardedCallError, forwardedHeaders } from './forwardedHeaders.js';
import type { WorkflowPublisher, WorkflowSimulation } from '../../domains/agent/index.js';

/**
 * The agent's `WorkflowPublisher` over the workflow domain's public HTTP API, acting with the
 * approving user's own credentials: the workflow domain authorizes, validates and meters the
 * creation exactly as for a direct call. `baseUrl` is read per call: in one process it is the
 * gateway's own address, known only once it listens.
 */
export function createHttpWorkflowPublisher(baseUrl: () => string): WorkflowPublisher {
  return {
    async publish(request) {
      const headers = forwardedHeaders(request.credentials, request.correlationId);
      const path = request.workflowId
        ? `/v1/workflows/${encodeURIComponent(request.workflowId)}/versions`
        : '/v1/workflows';
      const body = request.workflowId
        ? { document: request.document }
        : {
            document: request.document,
            ...(request.sourceConversationId
              ? { sourceConversationId: request.sourceConversationId }
              : {}),
          };
      const response = await fetch(`${baseUrl()}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const answer = (await response.json().catch(() => ({}))) as {
        workflowId?: string;
        latestVersion?: string;
      };
      if (response.status === 201 && answer.workflowId && answer.latestVersion) {
        return { workflowId: answer.workflowId, version: answer.latestVersion };
      }
      throw forwardedCallError(
        'the workflow service refused the approved draft',
        response.status,
        answer,
      );
    },
  };
}

/** The agent's `WorkflowSimulation` over the workflow domain's `POST /v1/simulations`. */
export function createHttpWorkflowSimulation(baseUrl: () => string): WorkflowSimulation {
  return {
    async simulate(request) {
      const response = await fetch(`${baseUrl()}/v1/simulations`, {
        method: 'POST',
        headers: forwardedHeaders(request.credentials, request.correlationId),
        body: JSON.stringify({
          document: request.document,
          input: request.input,
          documents: request.documents,
          responses: request.responses,
        }),
        signal: AbortSignal.timeout(60_000),
      });
      const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.status === 200) {
        return answer as unknown as Awaited<ReturnType<WorkflowSimulation['simulate']>>;
      }
      throw forwardedCallError('the dry run was refused', response.status, answer);
    },
  };
}
