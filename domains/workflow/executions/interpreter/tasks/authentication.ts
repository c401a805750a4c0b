import type { TaskRun } from '../taskRun.js';
import { standardError } from '../workflowError.js';
import { decodeContent } from './httpExchange.js';

/** The spec's authorization descriptor: what goes into the Authorization header. */
export interface Authorization {
  scheme: string;
  parameter: string;
}

type Policy = Record<string, unknown>;

/**
 * Resolves an authentication policy — inline, `use: <name>` of `use.authentications`, and
 * within it `use: <secret>` for the credentials — into an Authorization header. Supports
 * basic, bearer and OAuth2 client credentials; tokens are cached until shortly before expiry.
 */
export async function authenticate(
  run: TaskRun,
  reference: unknown,
  at: string,
): Promise<Authorization> {
  const policy = resolvePolicy(run, reference, at);
  if (policy.basic) {
    const basic = credentials(run, policy.basic, `${at}/basic`);
    const token = Buffer.from(
      `${String(basic.username ?? '')}:${String(basic.password ?? '')}`,
    ).toString('base64');
    return { scheme: 'Basic', parameter: token };
  }
  if (policy.bearer) {
    const bearer = credentials(run, policy.bearer, `${at}/bearer`);
    return { scheme: 'Bearer', parameter: String(bearer.token ?? '') };
  }
  if (policy.oauth2) {
    return {
      scheme: 'Bearer',
      parameter: await oauth2Token(run, credentials(run, policy.oauth2, `${at}/oauth2`), at),
    };
  }
  const kind = Object.keys(policy)[0] ?? 'none';
  throw standardError(
    'configuration',
    'Unsupported authentication',
    `'${kind}' authentication is not supported; use basic, bearer or oauth2`,
    {
      instance: at,
    },
  );
}

function resolvePolicy(run: TaskRun, reference: unknown, at: string): Policy {
  const policy = reference as Policy;
  if (typeof policy.use === 'string' && Object.keys(policy).length === 1) {
    return run.interpreter.resolveUse<Policy>(policy.use, 'authentications', at);
  }
  return policy;
}

/** A scheme's properties, from a secret (`use: name`) or inline with expressions evaluated. */
function credentials(run: TaskRun, scheme: unknown, at: string): Policy {
  const properties = scheme as Policy;
  if (typeof properties.use === 'string') {
    const secret = run.interpreter.host.secret(properties.use);
    if (typeof secret !== 'object' || secret === null) {
      throw standardError(
        'authorization',
        'Secret unavailable',
        `secret '${properties.use}' does not exist or is not an object`,
        {
          instance: at,
        },
      );
    }
    return secret as Policy;
  }
  return run.interpreter.expressions.evaluateDeep(
    properties,
    run.input,
    run.variables(),
    at,
  ) as Policy;
}

const tokenCache = new WeakMap<object, Map<string, { token: string; expiresAt: number }>>();

async function oauth2Token(run: TaskRun, settings: Policy, at: string): Promise<string> {
  const grant = String(settings.grant ?? 'client_credentials');
  if (grant !== 'client_credentials') {
    throw standardError(
      'configuration',
      'Unsupported OAuth2 grant',
      `grant '${grant}' is not supported; use client_credentials`,
      {
        instance: at,
      },
    );
  }
  const client = (settings.client ?? {}) as Policy;
  const scopes = (settings.scopes as string[] | undefined) ?? [];
  const audiences = (settings.audiences as string[] | undefined) ?? [];
  const authority = String(settings.authority ?? '');
  const tokenPath = String((settings.endpoints as Policy | undefined)?.token ?? '/oauth2/token');
  const tokenUrl = new URL(
    tokenPath,
    authority.endsWith('/') ? authority : `${authority}/`,
  ).toString();
  const cacheKey = JSON.stringify([tokenUrl, client.id, scopes, audiences]);
  const cache =
    tokenCache.get(run.interpreter) ?? new Map<string, { token: string; expiresAt: number }>();
  tokenCache.set(run.interpreter, cache);
  const now = run.interpreter.host.now();
  const cached = cache.get(cacheKey);
  if (cached && cached.expiresAt > now) return cached.token;

  const fields: Record<string, string> = { grant_type: 'client_credentials' };
  if (scopes.length > 0) fields.scope = scopes.join(' ');
  if (audiences.length > 0) fields.audience = audiences.join(' ');
  const headers: Record<string, string> = {};
  const method = String(client.authentication ?? 'client_secret_post');
  if (method === 'client_secret_basic') {
    const pair = `${encodeURIComponent(String(client.id ?? ''))}:${encodeURIComponent(String(client.secret ?? ''))}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else if (method === 'client_secret_post') {
    fields.client_id = String(client.id ?? '');
    if (client.secret !== undefined) fields.client_secret = String(client.secret);
  } else if (method === 'none') {
    fields.client_id = String(client.id ?? '');
  } else {
    throw standardError(
      'configuration',
      'Unsupported OAuth2 client authentication',
      `'${method}' is not supported`,
      {
        instance: at,
      },
    );
  }
  const json =
    String((settings.request as Policy | undefined)?.encoding ?? '') === 'application/json';
  headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
  headers.accept = 'application/json';
  const response = await run.interpreter.host.http(
    {
      method: 'POST',
      url: tokenUrl,
      headers,
      body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      followRedirects: false,
      idempotencyKey: `${run.invocation.idempotencyKey}#token`,
    },
    run.signal,
  );
  const content = decodeContent(response) as Policy | null;
  if (
    response.status < 200 ||
    response.status >= 300 ||
    typeof content?.access_token !== 'string'
  ) {
    throw standardError(
      'authentication',
      'OAuth2 token request failed',
      `the token endpoint answered ${response.status}`,
      {
        status: 401,
        instance: at,
      },
    );
  }
  const lifetime = typeof content.expires_in === 'number' ? content.expires_in * 1000 : 300_000;
  // Renew a little early so a token never expires between here and the call it authorizes.
  cache.set(cacheKey, {
    token: content.access_token,
    expiresAt: now + Math.max(0, lifetime - 30_000),
  });
  return content.access_token;
}
