import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJqExpressionEngine } from '../../infra/jq/index.js';
import { startEphemeralEngine } from '../../infra/runtime/ephemeralEngine.js';
import type { EphemeralEngine } from '../../infra/runtime/ephemeralEngine.js';
import { ctkScenarios } from '../support/ctkFeatures.js';
import { startCtkServer } from '../support/servers/index.js';
import type { CtkServer } from '../support/servers/index.js';
import { runScenario, summarize } from './ctkRunner.js';
import type { CtkResult } from './ctkRunner.js';

/**
 * The Serverless Workflow conformance kit, every scenario of every feature, run on the real
 * engine (embedded event store, real jq, real HTTP against a local stand-in for the public
 * services the features call).
 */
const scenarios = ctkScenarios();
const results: CtkResult[] = [];
let server: CtkServer;
let engine: EphemeralEngine;

beforeAll(async () => {
  server = await startCtkServer();
  engine = await startEphemeralEngine({
    expressions: await createJqExpressionEngine(),
    allowHosts: [new URL(server.baseUrl).host],
  });
});

afterAll(async () => {
  console.log(summarize(results));
  await engine?.stop();
  await server?.close();
});

describe('Serverless Workflow conformance kit', () => {
  it('has scenarios to run', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(21);
  });

  for (const scenario of scenarios) {
    it(`${scenario.feature}: ${scenario.scenario}`, async () => {
      const result = await runScenario(engine, server, scenario);
      results.push(result);
      expect(result.failures).toEqual([]);
    });
  }
});
