import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctkScenarios } from '../ctkFeatures.js';
import type { CtkScenario } from '../ctkFeatures.js';
import { ctkBasicAuth, startCtkServer } from './ctkServer.js';
import type { CtkServer } from './ctkServer.js';
import { callsOf, fetchCall } from './ctkCalls.js';
import type { CallAnswer } from './ctkCalls.js';

let ctk: CtkServer;
beforeAll(async () => {
  ctk = await startCtkServer();
});
afterAll(() => ctk.close());

const publicHosts = /petstore\.swagger\.io|httpbin\.org/;
/** The properties the CTK asserts on a pet: 'id', 'name', 'status'. */
const pet = { id: expect.any(Number), name: expect.any(String), status: expect.any(String) };

/** What each CTK scenario's own assertions need from the answers of its calls, in order. */
const scenarioExpectations: Record<string, (answers: CallAnswer[]) => void> = {
  'Call HTTP With Content Output': ([found]) => {
    expect(found?.status).toBe(200);
    expect((found?.body as unknown[])[0]).toMatchObject({ ...pet, status: 'available' });
  },
  'Call HTTP With Response Output': ([got]) => {
    expect(got?.status).toBe(200);
    expect(got?.contentType).toMatch(/^application\/json/);
    expect(got?.body).toMatchObject(pet);
  },
  'Call HTTP Using Basic Authentication': ([login]) => {
    expect(login?.status).toBe(200);
    expect(login?.body).toEqual({ authenticated: true, user: ctkBasicAuth.username });
  },
  'Call OpenAPI With Content Output': ([found]) => {
    expect(found?.status).toBe(200);
    expect((found?.body as unknown[]).length).toBeGreaterThan(0);
  },
  'Call OpenAPI With Response Output': ([got]) => {
    expect(got?.status).toBe(200);
    expect(got?.body).toMatchObject({ ...pet, id: 1 });
  },
  // The workflow catches communication errors with status 404 only: the call must answer 404.
  'Try Handle Caught Error': ([got]) => expect(got?.status).toBe(404),
  // Catches 503 only, and must fault: any non-2xx other than 503 does; the live service says 404.
  'Try Raise Uncaught Error': ([got]) => expect(got?.status).toBe(404),
  'Output Filtering': ([got]) => expect(got?.body).toMatchObject({ id: 1 }),
  'Use Non-object Output': (answers) =>
    expect(answers.map((a) => (a.body as { id: number }).id)).toEqual([1, 2]),
};

function inputOf(scenario: CtkScenario): Record<string, unknown> {
  const step = scenario.steps.find((s) => s.text.includes('workflow input is'));
  return (step?.docString === undefined ? {} : load(step.docString)) as Record<string, unknown>;
}

describe('the CTK stand-in', () => {
  const scenarios = ctkScenarios();

  it('leaves no public host in any CTK doc string once rewritten', () => {
    const docStrings = scenarios.flatMap((s) => s.steps.flatMap((step) => step.docString ?? []));
    expect(docStrings.filter((text) => publicHosts.test(text)).length).toBeGreaterThan(0);
    for (const text of docStrings) expect(ctk.rewrite(text)).not.toMatch(publicHosts);
  });

  it('rewrites only the scheme and host, keeping the path', () => {
    expect(ctk.rewrite('uri: https://petstore.swagger.io/v2/pet/{petId}')).toBe(
      `uri: ${ctk.baseUrl}/v2/pet/{petId}`,
    );
    expect(ctk.rewrite('"https://httpbin.org/basic-auth/a/b"')).toBe(
      `"${ctk.baseUrl}/basic-auth/a/b"`,
    );
    expect(ctk.rewrite('https://httpbin.org.example.com/x')).toBe(
      'https://httpbin.org.example.com/x',
    );
  });

  it('has an expectation for exactly the scenarios that call HTTP', () => {
    const calling = scenarios.filter((s) => callsOf(load(s.workflow)).length > 0);
    expect(calling.map((s) => s.scenario).sort()).toEqual(Object.keys(scenarioExpectations).sort());
  });

  for (const scenario of scenarios) {
    const expectation = scenarioExpectations[scenario.scenario];
    if (expectation === undefined) continue;
    it(`answers the calls of '${scenario.scenario}' as the scenario expects`, async () => {
      const input = inputOf(scenario);
      const answers: CallAnswer[] = [];
      for (const call of callsOf(load(ctk.rewrite(scenario.workflow)))) {
        answers.push(await fetchCall(call, input));
      }
      expectation(answers);
    });
  }
});

describe('the Petstore stand-in', () => {
  it('serves a Swagger 2.0 document that points back at itself', async () => {
    const doc = (await (await fetch(`${ctk.baseUrl}/v2/swagger.json`)).json()) as {
      swagger: string;
      host: string;
      basePath: string;
      schemes: string[];
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc).toMatchObject({ swagger: '2.0', basePath: '/v2', schemes: ['http'] });
    expect(`http://${doc.host}`).toBe(ctk.baseUrl);
    const operationIds = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(operationIds.map((o) => o.operationId).sort()).toEqual(
      ['addPet', 'findPetsByStatus', 'getPetById'].sort(),
    );
  });

  it('answers an unknown pet with 404 and the Petstore error body', async () => {
    const response = await fetch(`${ctk.baseUrl}/v2/pet/987654`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 1, type: 'error', message: 'Pet not found' });
  });

  it('has no getPetByName route, like the real Petstore', async () => {
    const response = await fetch(`${ctk.baseUrl}/v2/pet/getPetByName/doggie`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 404, type: 'unknown' });
  });

  it('finds pets by several statuses, repeated or comma-separated', async () => {
    const statuses = async (query: string) => {
      const pets = (await (await fetch(`${ctk.baseUrl}/v2/pet/findByStatus?${query}`)).json()) as {
        status: string;
      }[];
      return new Set(pets.map((p) => p.status));
    };
    expect(await statuses('status=pending&status=sold')).toEqual(new Set(['pending', 'sold']));
    expect(await statuses('status=pending,sold')).toEqual(new Set(['pending', 'sold']));
    expect((await fetch(`${ctk.baseUrl}/v2/pet/findByStatus`)).status).toBe(400);
  });

  it('adds a pet, assigning an id when none is given', async () => {
    const response = await fetch(`${ctk.baseUrl}/v2/pet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Milou', photoUrls: [], status: 'pending' }),
    });
    const created = (await response.json()) as { id: number };
    expect(response.status).toBe(200);
    expect(ctk.pets.get(created.id)).toMatchObject({ name: 'Milou', status: 'pending' });
    const recorded = ctk.requests.at(-1);
    expect(recorded).toMatchObject({ method: 'POST', path: '/v2/pet', body: { name: 'Milou' } });
  });
});

describe('the httpbin stand-in', () => {
  const url = () => `${ctk.baseUrl}/basic-auth/${ctkBasicAuth.username}/${ctkBasicAuth.password}`;
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('refuses wrong credentials with 401 and a Basic challenge', async () => {
    const response = await fetch(url(), {
      headers: { authorization: basic(ctkBasicAuth.username, 'wrong') },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('refuses a request without credentials', async () => {
    expect((await fetch(url())).status).toBe(401);
  });
});
