/** How endpoints are read and shown: their URI, whether it is computed at run time, no credentials. */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An endpoint's URI: a string, or `{ uri }` (dsl-reference "Endpoint"). */
export function endpointUri(endpoint: unknown): string | undefined {
  if (typeof endpoint === 'string') return endpoint;
  return isObject(endpoint) && typeof endpoint.uri === 'string' ? endpoint.uri : undefined;
}

/** Whether a URI is computed at run time (a runtime expression), not a literal or URI template. */
export function isDynamicUri(uri: string): boolean {
  return uri.includes('${');
}

/*
 * Dependency lists and graphs are shown to people who may not see secrets, yet authors sometimes
 * write credentials into URIs. Parsing with `URL` would reject URI templates (`{petId}`) and
 * runtime expressions, so the two places credentials hide are rewritten textually.
 */

const userInfo = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i;
const queryParameter = /([?&])([^=&#]+)=([^&#]*)/g;
const secretLooking = /token|secret|passw|pwd|key|signature|sig$|auth|credential|session/i;

/** `uri` without user info, with the values of secret-looking query parameters masked as `***`. */
export function redactUri(uri: string): string {
  return uri
    .replace(userInfo, '$1')
    .replace(queryParameter, (whole, separator: string, name: string, value: string) =>
      // A template (`{apiKey}`) or expression holds no value yet: it is safe and more useful.
      secretLooking.test(name) &&
      value !== '' &&
      !/^\{[^}]*\}$/.test(value) &&
      !value.includes('${')
        ? `${separator}${name}=***`
        : whole,
    );
}
