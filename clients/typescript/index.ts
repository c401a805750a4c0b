import createClient from 'openapi-fetch';
import type { Client, ClientOptions } from 'openapi-fetch';
import type { components, paths } from './generated/awpApi.js';

/** How to reach one AWP platform, and as whom. */
export interface AwpClientOptions {
  /** Where the platform listens, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /**
   * Sent as `Authorization: Bearer <token>`: a JWT or an API key (`awp_…`) for a tenant's
   * calls, `AWP_ADMIN_TOKEN` for the operator's. Without one, requests carry no credential.
   */
  token?: string;
  /** Headers for every request besides `Authorization`, e.g. `traceparent`. */
  headers?: Record<string, string>;
  /** Another fetch (a proxy, a test double); the global one by default. */
  fetch?: ClientOptions['fetch'];
}

/** The typed client: `client.GET('/v1/workflows/{workflowId}', { params: { path: … } })`. */
export type AwpClient = Client<paths>;

/** Every request and response body of the API, by its schema name. */
export type AwpSchemas = components['schemas'];

/** The RFC 9457 problem every error answers with (`error` of a failed call). */
export type Problem = AwpSchemas['Problem'];

/**
 * An `openapi-fetch` client typed from the OpenAPI document the gateway serves: paths,
 * parameters, bodies and responses (errors as `Problem`) are checked at compile time.
 */
export function createAwpClient(options: AwpClientOptions): AwpClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: {
      ...options.headers,
      ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export type { components, operations, paths } from './generated/awpApi.js';
