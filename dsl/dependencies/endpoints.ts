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
 * runtime expressions, so the two places credentials hide are rewritten textually, in one pass
 * each: these strings are user input, so no step may rescan them per position.
 */

const leadingScheme = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Where an authority ends (RFC 3986 §3.2): the path, the query or the fragment. */
const authorityEnds = new Set(['/', '?', '#']);
/**
 * A URI written inside an expression or a query value also ends where its string does: quotes,
 * white space and the like cannot appear in a URI, but they do delimit one in jq text.
 */
const embeddedAuthorityEnds = new Set([
  ...authorityEnds,
  '"',
  "'",
  '`',
  '\\',
  '<',
  '>',
  ' ',
  '\t',
  '\n',
  '\r',
]);

/**
 * `uri` without the user info of any `scheme://user:password@host` it holds. User info runs to
 * the last `@` of the authority, so a password holding `@` is removed whole.
 */
function withoutUserInfo(uri: string): string {
  const schemeEnd = leadingScheme.exec(uri)?.[0].length ?? -1;
  let kept = '';
  let copiedTo = 0;
  let at = uri.indexOf('://');
  while (at !== -1) {
    const start = at + 3;
    const ends = start === schemeEnd ? authorityEnds : embeddedAuthorityEnds;
    let end = start;
    let lastAt = -1;
    for (; end < uri.length && !ends.has(uri[end] as string); end += 1) {
      if (uri[end] === '@') lastAt = end;
    }
    if (lastAt !== -1) {
      kept += uri.slice(copiedTo, start);
      copiedTo = lastAt + 1;
    }
    // The next search starts past this authority: each character is read once.
    at = uri.indexOf('://', Math.max(end, start));
  }
  return kept + uri.slice(copiedTo);
}

/**
 * A query parameter. The name stops at `?` as well: a run of `?` would otherwise be rescanned
 * from each of them, quadratic in the URI's length.
 */
const queryParameter = /([?&])([^=&#?]+)=([^&#]*)/g;
const secretLooking = /token|secret|passw|pwd|key|signature|sig$|auth|credential|session/i;
const template = /^\{[^}]*\}$/;

/** `uri` without user info, with the values of secret-looking query parameters masked as `***`. */
export function redactUri(uri: string): string {
  return withoutUserInfo(uri).replace(
    queryParameter,
    (whole, separator: string, name: string, value: string) =>
      // A template (`{apiKey}`) or expression holds no value yet: it is safe and more useful.
      secretLooking.test(name) && value !== '' && !template.test(value) && !value.includes('${')
        ? `${separator}${name}=***`
        : whole,
  );
}
