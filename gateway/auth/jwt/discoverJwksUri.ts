import { isFetchable } from './trustedIssuers.js';
import { identityProviderUnreachable } from './verificationFailure.js';

function describeFetchFailure(cause: unknown, timeoutMs: number): string {
  const name = (cause as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError'
    ? `no answer within ${timeoutMs} ms`
    : 'the connection failed';
}

async function fetchDocument(
  location: string,
  issuer: string,
  timeoutMs: number,
): Promise<unknown> {
  // One signal for connecting and reading the body alike: a trickling IdP times out too.
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    // Like jose's JWKS fetch, a redirect is not followed to wherever it points.
    response = await fetch(location, {
      signal,
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    throw identityProviderUnreachable(issuer, describeFetchFailure(error, timeoutMs), error);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw identityProviderUnreachable(
      issuer,
      `its discovery document answered HTTP ${response.status}`,
    );
  }
  try {
    return await response.json();
  } catch (error) {
    const what = signal.aborted
      ? describeFetchFailure(error, timeoutMs)
      : 'its discovery document is not JSON';
    throw identityProviderUnreachable(issuer, what, error);
  }
}

function jwksUriOf(document: unknown, issuer: string): URL {
  const { issuer: named, jwks_uri: jwksUri } = (document ?? {}) as Record<string, unknown>;
  // Misconfigurations, not outages: retrying will not help until someone fixes them.
  if (named !== issuer) {
    throw identityProviderUnreachable(
      issuer,
      'its discovery document names a different issuer',
      undefined,
      false,
    );
  }
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri) || !isFetchable(new URL(jwksUri))) {
    throw identityProviderUnreachable(
      issuer,
      'its discovery document has no valid https jwks_uri',
      undefined,
      false,
    );
  }
  return new URL(jwksUri);
}

/**
 * Finds the issuer's `jwks_uri` in its OpenID Connect discovery document (Discovery 1.0 §4).
 * The document must name the same issuer (§4.3), or its keys could be anyone's.
 */
export async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<URL> {
  const location = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  return jwksUriOf(await fetchDocument(location, issuer, timeoutMs), issuer);
}
