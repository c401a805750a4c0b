/**
 * Reading a claim the operator named. Top-level names are taken verbatim because IdPs use
 * collision-resistant names full of dots and slashes (`https://awp.dev/account`); nested claims
 * (Keycloak's `realm_access.roles`) are reached with an RFC 6901 JSON Pointer instead, which is
 * why a name starting with `/` means a pointer.
 */

/** True for an RFC 6901 pointer: `/`-separated tokens where `~` only appears as `~0` or `~1`. */
export function isJsonPointer(name: string): boolean {
  return name.startsWith('/') && !/~(?![01])/.test(name);
}

function unescapeToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** Only own properties: a claim named `constructor` or `__proto__` must not reach the prototype. */
function child(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    return /^(0|[1-9]\d*)$/.test(key) ? value[Number(key)] : undefined;
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, key)) {
    return (value as Record<string, unknown>)[key];
  }
  return undefined;
}

/** The value `name` designates in `payload`, or `undefined` when it is absent. */
export function readClaim(payload: object, name: string): unknown {
  if (!name.startsWith('/')) {
    return child(payload, name);
  }
  return name
    .slice(1)
    .split('/')
    .reduce<unknown>((value, token) => child(value, unescapeToken(token)), payload);
}
