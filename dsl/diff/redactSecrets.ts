/**
 * Diffs are shown (`awp dsl diff`, the approval UI, CI logs) to people who may not see
 * credentials, yet a workflow may hold them inline: `basic.password`, `bearer.token`,
 * `oauth2.client.secret`, a password in a URI. Every value a change carries, and every value a
 * reason quotes, passes through here first (see `compactValue`). Comparisons still read the real
 * values, so a changed password is reported, with '[redacted]' on both sides.
 *
 * Inside an authentication policy (any `authentication` key, every `use.authentications` entry)
 * only settings known not to prove identity are kept: the names of the secrets and policies it
 * refers to (`use: dbPassword`, `${ $secrets.apiKey }`), grant type, scopes, audiences, issuers,
 * authority and endpoints (URIs, whose user info is masked anyway), the client's authentication
 * method and the request encoding. Any other value is a credential, an unknown field included.
 */

const redacted = '[redacted]';

type Segment = string | number;

/**
 * Where a value sits: ordinary data (`plain`), a policy that may also be a policy's name
 * (`reference`, under an `authentication` key), a policy definition, one scheme's settings, the
 * oauth2/oidc `client` or `request`, a name or list of names, endpoint URIs, or a credential.
 */
type Place =
  | 'plain'
  | 'definitions'
  | 'reference'
  | 'policy'
  | 'scheme'
  | 'client'
  | 'request'
  | 'name'
  | 'names'
  | 'endpoints'
  | 'secret';

/** dsl-reference "Authentication": the schemes a policy may define. */
const schemes = new Set(['basic', 'bearer', 'certificate', 'digest', 'oauth2', 'oidc']);

/** Settings that configure a scheme rather than prove who is calling; the rest are secrets. */
const schemeSettings = new Map<Segment, Place>([
  ['use', 'name'],
  ['grant', 'name'],
  ['authority', 'name'],
  ['scopes', 'names'],
  ['audiences', 'names'],
  ['issuers', 'names'],
  ['endpoints', 'endpoints'],
  ['client', 'client'],
  ['request', 'request'],
]);
// `client.id` identifies rather than proves, but some providers treat it as confidential.
const clientSettings = new Map<Segment, Place>([['authentication', 'name']]);
const requestSettings = new Map<Segment, Place>([['encoding', 'name']]);

function step(place: Place, key: Segment): Place {
  switch (place) {
    case 'plain':
      if (key === 'authentication') return 'reference';
      return key === 'authentications' ? 'definitions' : 'plain';
    case 'definitions':
      return 'policy';
    case 'reference':
    case 'policy':
      if (key === 'use') return 'name';
      return typeof key === 'string' && schemes.has(key) ? 'scheme' : 'secret';
    case 'scheme':
      return schemeSettings.get(key) ?? 'secret';
    case 'client':
      return clientSettings.get(key) ?? 'secret';
    case 'request':
      return requestSettings.get(key) ?? 'secret';
    case 'names':
    case 'endpoints':
      return 'name';
    default:
      // A name is a string: anything nested under one is not what the DSL puts there.
      return 'secret';
  }
}

/** `${ $secrets.apiKey }`, `${ $secrets["api-key"] }`: a reference by name, holding no value. */
const secretReference =
  /^\s*\$\{\s*\$secrets?(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*|\s*\.\s*"[^"\\]*"|\s*\[\s*"[^"\\]*"\s*\])+\s*\}\s*$/;

/**
 * Outside a policy, credentials still travel in headers and fields named for them
 * (`Authorization`, `X-API-Key`, `dbPassword`, `clientSecret`): their values are redacted too,
 * a mapping under such a name is still read field by field.
 */
const credentialName =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|pwd)$|(?:password|passwd|passphrase|secret|api[-_]?key|token|private[-_]?key)$/i;

const userInfo = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i;
// '?' is excluded from a name so that each scan stops at the next parameter (linear time).
const queryParameter = /([?&])([^=&#?]+)=([^&#]*)/g;
const secretLooking = /token|secret|passw|pwd|key|signature|sig$|auth|credential|session/i;

/** A string of ordinary data, with the credentials a URI may carry masked. */
function maskUri(text: string): string {
  if (!text.includes('://') && !text.includes('=')) return text;
  return text
    .replace(userInfo, `$1${redacted}@`)
    .replace(queryParameter, (whole, separator: string, name: string, value: string) =>
      // A template (`{apiKey}`) or expression holds no value yet.
      secretLooking.test(name) &&
      value !== '' &&
      !/^\{[^}]*\}$/.test(value) &&
      !value.includes('${')
        ? `${separator}${name}=${redacted}`
        : whole,
    );
}

function leaf(value: unknown, place: Place): unknown {
  // Absent or null holds nothing to hide, and shows that a credential was added or removed.
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    if (place === 'plain' || place === 'name' || place === 'reference') return maskUri(value);
    return secretReference.test(value) ? value : redacted;
  }
  return place === 'plain' ? value : redacted;
}

const isMapping = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The place of `value`, found under `key` in a value at `place`. */
function placeOf(place: Place, key: Segment, value: unknown): Place {
  const next = step(place, key);
  const named = next === 'plain' && typeof key === 'string' && credentialName.test(key);
  return named && !isMapping(value) ? 'secret' : next;
}

function redactAt(value: unknown, place: Place): unknown {
  if (Array.isArray(value)) return value.map((item, i) => redactAt(item, placeOf(place, i, item)));
  if (isMapping(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      // defineProperty: a key `__proto__` stays a key instead of replacing the prototype.
      Object.defineProperty(copy, key, {
        value: redactAt(item, placeOf(place, key, item)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return leaf(value, place);
}

/**
 * A copy of `value` without credentials. `at` is where the value sits in the workflow document
 * (`['use', 'authentications', 'petStore']`), so that a policy, or a part of one, shown on its
 * own is still known for one.
 */
export function redactSecrets(value: unknown, at: readonly Segment[] = []): unknown {
  const last = at.length - 1;
  // Only the last step's value is known: the ones before it hold `value`, so they are mappings.
  const place = at.reduce<Place>(
    (p, key, i) => (i === last ? placeOf(p, key, value) : step(p, key)),
    'plain',
  );
  return redactAt(value, place);
}
