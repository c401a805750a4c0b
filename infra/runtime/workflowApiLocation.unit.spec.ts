import { describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import { missingWorkflowUrl, workflowApiLocation } from './workflowApiLocation.js';

describe('workflowApiLocation', () => {
  const ownUrl = () => 'http://127.0.0.1:8080';

  it('prefers AWP_WORKFLOW_URL, whether or not the process hosts the workflow service', () => {
    for (const hostsWorkflow of [true, false]) {
      const location = workflowApiLocation({
        configured: 'http://workflow:8080',
        hostsWorkflow,
        ownUrl,
      });
      expect(location()).toBe('http://workflow:8080');
    }
  });

  it("uses the process's own server when it hosts the workflow service", () => {
    expect(workflowApiLocation({ configured: undefined, hostsWorkflow: true, ownUrl })()).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('says what to configure when the workflow service is elsewhere and unnamed', () => {
    const location = workflowApiLocation({ configured: undefined, hostsWorkflow: false, ownUrl });
    expect(location).toThrow(AwpError);
    expect(location).toThrow(missingWorkflowUrl);
  });
});
