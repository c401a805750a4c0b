import { AwpError } from '../../contracts/index.js';

/**
 * Where the agent finds the workflow service's API (to publish approved drafts and send dry
 * runs): `AWP_WORKFLOW_URL` when set; otherwise this process's own server, which is right only
 * when the process hosts the workflow service. An agent-only process without the setting
 * starts, but says at each approval or dry run what to configure.
 */
export function workflowApiLocation(options: {
  configured: string | undefined;
  hostsWorkflow: boolean;
  /** This process's own base URL, known once its server listens. */
  ownUrl: () => string;
}): () => string {
  const { configured, hostsWorkflow, ownUrl } = options;
  if (configured !== undefined) return () => configured;
  if (hostsWorkflow) return ownUrl;
  return () => {
    throw new AwpError('unavailable', missingWorkflowUrl);
  };
}

export const missingWorkflowUrl =
  'this process does not host the workflow service, so approved drafts and dry runs have ' +
  "nowhere to go: set AWP_WORKFLOW_URL to the workflow service's base URL";
