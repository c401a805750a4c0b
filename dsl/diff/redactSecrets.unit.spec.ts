import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { diffWorkflows, formatDiff } from './diffWorkflows.js';
import type { WorkflowDiff } from './diffWorkflows.js';
import { redactSecrets } from './redactSecrets.js';

const document = { dsl: '1.0.0', namespace: 'orders', name: 'intake', version: '1.0.0' };

/** Every credential the policies below hold; none may appear anywhere in a diff. */
const secretValues = [
  'OLD-PASSWORD',
  'NEW-PASSWORD',
  'OLD-USER',
  'NEW-USER',
  'OLD-TOKEN',
  'NEW-TOKEN',
  'OLD-CLIENT-SECRET',
  'NEW-CLIENT-SECRET',
  'OLD-ASSERTION',
  'NEW-ASSERTION',
  'OLD-SUBJECT-TOKEN',
  'NEW-SUBJECT-TOKEN',
  'OLD-CERTIFICATE',
  'NEW-CERTIFICATE',
];

/** A policy of each scheme, holding the `version` ('OLD' or 'NEW') of its credentials. */
const policies: Record<string, (version: string) => Record<string, unknown>> = {
  basic: (v) => ({ basic: { username: `${v}-USER`, password: `${v}-PASSWORD` } }),
  bearer: (v) => ({ bearer: { token: `${v}-TOKEN` } }),
  digest: (v) => ({ digest: { username: `${v}-USER`, password: `${v}-PASSWORD` } }),
  oauth2: (v) => ({
    oauth2: {
      authority: 'https://auth.example.com',
      grant: 'client_credentials',
      client: { id: `${v}-USER`, secret: `${v}-CLIENT-SECRET`, assertion: `${v}-ASSERTION` },
      subject: { token: `${v}-SUBJECT-TOKEN`, type: 'urn:ietf:params:oauth:token-type:jwt' },
      scopes: ['orders:read'],
    },
  }),
  oidc: (v) => ({
    oidc: {
      authority: 'https://id.example.com',
      grant: 'password',
      client: { id: `${v}-USER`, secret: `${v}-CLIENT-SECRET` },
      username: `${v}-USER`,
      password: `${v}-PASSWORD`,
    },
  }),
  certificate: (v) => ({ certificate: { pem: `${v}-CERTIFICATE`, password: `${v}-PASSWORD` } }),
};

const call = (authentication: unknown) => ({
  call: 'http',
  with: { method: 'get', endpoint: { uri: 'https://stock.example.com', authentication } },
});

/** The places a policy can sit in a workflow, each as a workflow holding `policy`. */
const placements: Record<string, (policy: unknown) => WorkflowDefinition> = {
  'use.authentications': (policy) =>
    ({
      document,
      use: { authentications: { stock: policy } },
      do: [{ check: call({ use: 'stock' }) }],
    }) as WorkflowDefinition,
  'an inline endpoint.authentication': (policy) =>
    ({ document, do: [{ check: call(policy) }] }) as WorkflowDefinition,
  'a function in use.functions': (policy) =>
    ({
      document,
      use: { functions: { getStock: call(policy) } },
      do: [{ check: { call: 'getStock' } }],
    }) as WorkflowDefinition,
  'a catalog endpoint': (policy) =>
    ({
      document,
      use: {
        catalogs: {
          shared: { endpoint: { uri: 'https://c.example.com', authentication: policy } },
        },
      },
      do: [{ check: { call: 'getStock:1.0.0@shared' } }],
    }) as WorkflowDefinition,
  'an external input schema': (policy) =>
    ({
      document,
      input: {
        schema: {
          format: 'json',
          resource: {
            endpoint: { uri: 'https://s.example.com/order.json', authentication: policy },
          },
        },
      },
      do: [{ check: { set: { ok: true } } }],
    }) as WorkflowDefinition,
};

/** The secret values that leak into the diff as JSON or as the CLI prints it. */
function leaked(diff: WorkflowDiff): string[] {
  const shown = `${JSON.stringify(diff)}\n${formatDiff(diff)}`;
  return secretValues.filter((secret) => shown.includes(secret));
}

describe('diffWorkflows shows no credentials', () => {
  for (const [scheme, policy] of Object.entries(policies)) {
    for (const [place, workflow] of Object.entries(placements)) {
      it(`reports a changed ${scheme} credential in ${place} without showing it`, () => {
        const diff = diffWorkflows(workflow(policy('OLD')), workflow(policy('NEW')));
        expect(diff.changes.length).toBeGreaterThan(0);
        expect(leaked(diff)).toEqual([]);
        expect(JSON.stringify(diff)).toContain('[redacted]');
      });

      it(`shows no ${scheme} credential of a policy added to or removed from ${place}`, () => {
        const without = workflow({ use: 'elsewhere' });
        expect(leaked(diffWorkflows(without, workflow(policy('NEW'))))).toEqual([]);
        expect(leaked(diffWorkflows(workflow(policy('OLD')), without))).toEqual([]);
      });
    }
  }

  it('reports a changed password as a change, redacted on both sides', () => {
    const workflow = placements['use.authentications'] as (policy: unknown) => WorkflowDefinition;
    const before = { basic: { username: 'clerk', password: 'OLD-PASSWORD' } };
    const after = { basic: { username: 'clerk', password: 'NEW-PASSWORD' } };
    const diff = diffWorkflows(workflow(before), workflow(after));
    expect(diff.changes).toEqual([
      {
        kind: 'use-changed',
        path: '/use/authentications/stock',
        compatibility: 'compatible',
        reason: expect.stringMatching(/^authentication policy 'stock' changed \(credentials/),
        before: { basic: { username: '[redacted]', password: '[redacted]' } },
        after: { basic: { username: '[redacted]', password: '[redacted]' } },
      },
    ]);
  });

  it('names the changed field of an inline policy, not its value', () => {
    const workflow = placements['an inline endpoint.authentication'] as (
      policy: unknown,
    ) => WorkflowDefinition;
    const diff = diffWorkflows(
      workflow({ basic: { username: 'clerk', password: 'OLD-PASSWORD' } }),
      workflow({ basic: { username: 'clerk', password: 'NEW-PASSWORD' } }),
    );
    expect(diff.changes).toEqual([
      expect.objectContaining({
        kind: 'task-changed',
        reason: expect.stringContaining('(with.endpoint.authentication.basic.password)'),
        before: { 'with.endpoint.authentication.basic.password': '[redacted]' },
        after: { 'with.endpoint.authentication.basic.password': '[redacted]' },
      }),
    ]);
  });

  it('keeps what names a secret or a policy, and the settings that prove nothing', () => {
    const workflow = placements['use.authentications'] as (policy: unknown) => WorkflowDefinition;
    const after = {
      oauth2: {
        grant: 'client_credentials',
        client: { id: '${ $secrets.clientId }', secret: '${ $secrets["client-secret"] }' },
        scopes: ['orders:read'],
      },
    };
    const diff = diffWorkflows(workflow({ bearer: { use: 'oldToken' } }), workflow(after));
    expect(diff.changes.map(({ before, after }) => ({ before, after }))).toEqual([
      { before: { bearer: { use: 'oldToken' } }, after },
    ]);
  });

  it('shows no credential written into a header or a URI', () => {
    const workflow = (token: string) =>
      ({
        document,
        do: [
          {
            check: {
              call: 'http',
              with: {
                method: 'get',
                endpoint: `https://clerk:${token}@stock.example.com/items?api_key=${token}&page=2`,
                headers: { Authorization: `Bearer ${token}`, 'X-Trace': 'on' },
              },
            },
          },
        ],
      }) as WorkflowDefinition;
    const diff = diffWorkflows(workflow('OLD-TOKEN'), workflow('NEW-TOKEN'));
    expect(diff.changes).toHaveLength(1);
    expect(leaked(diff)).toEqual([]);
    expect(diff.changes[0]?.after).toEqual({
      'with.endpoint': 'https://[redacted]@stock.example.com/items?api_key=[redacted]&page=2',
      'with.headers.Authorization': '[redacted]',
    });
  });
});

describe('redactSecrets', () => {
  it('redacts a policy by where it sits, when shown without its key', () => {
    expect(
      redactSecrets({ password: 'p', username: 'u' }, ['use', 'authentications', 'x', 'basic']),
    ).toEqual({ password: '[redacted]', username: '[redacted]' });
    expect(redactSecrets('p', ['with', 'endpoint', 'authentication', 'bearer', 'token'])).toBe(
      '[redacted]',
    );
    expect(redactSecrets({ bearer: { token: 't' } }, ['authentication'])).toEqual({
      bearer: { token: '[redacted]' },
    });
  });

  it('keeps the settings of oauth2 and oidc that configure rather than prove', () => {
    const settings = {
      authority: 'https://auth.example.com',
      grant: 'client_credentials',
      scopes: ['orders:read'],
      audiences: ['orders'],
      issuers: ['https://auth.example.com'],
      endpoints: { token: '/oauth2/token', revocation: '/oauth2/revoke' },
      client: { authentication: 'client_secret_post' },
      request: { encoding: 'application/json' },
    };
    for (const scheme of ['oauth2', 'oidc']) {
      expect(redactSecrets({ [scheme]: settings }, ['authentication'])).toEqual({
        [scheme]: settings,
      });
    }
  });

  it('redacts every field of an unknown scheme and every unknown field of a known one', () => {
    expect(
      redactSecrets({ authentication: { apiKey: { key: 'k' }, basic: { password: 'p', pin: 1 } } }),
    ).toEqual({
      authentication: {
        apiKey: { key: '[redacted]' },
        basic: { password: '[redacted]', pin: '[redacted]' },
      },
    });
  });

  it('keeps a policy referenced by name, and redacts a string standing for a whole definition', () => {
    expect(redactSecrets({ endpoint: { authentication: 'petStore' } })).toEqual({
      endpoint: { authentication: 'petStore' },
    });
    expect(redactSecrets({ authentications: { petStore: 'hunter2' } })).toEqual({
      authentications: { petStore: '[redacted]' },
    });
  });

  it('does not take an expression that computes a credential for a reference to one', () => {
    expect(
      redactSecrets({ bearer: { token: '${ "abc" + $secrets.t }' } }, ['authentication']),
    ).toEqual({ bearer: { token: '[redacted]' } });
  });

  it('leaves ordinary data alone and keeps a `__proto__` key a key', () => {
    const data = JSON.parse('{"__proto__": {"x": 1}, "tokenUrl": "https://a", "n": [1, null]}');
    const copy = redactSecrets(data) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['__proto__', 'tokenUrl', 'n']);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(data));
  });
});
