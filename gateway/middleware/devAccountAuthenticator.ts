import { AwpError } from '../../contracts/index.js';
import { anonymousIdentity } from '../auth/identity.js';
import type { Authenticator } from './authenticate.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const slug = /^[a-z0-9-]{1,64}$/;
/** Printable ASCII without spaces: the id lands in events and log lines verbatim. */
const userId = /^[\x21-\x7e]{1,128}$/;

const accountHeader = 'x-awp-account';
const userHeader = 'x-awp-user';

/**
 * The interim tenant identity until OIDC/JWT arrives: the caller names its account in
 * `X-AWP-Account` (a UUID or a slug of `[a-z0-9-]`, at most 64) and itself in `X-AWP-User`
 * (default `anonymous`). Nothing is verified, so this belongs to the embedded profile on a
 * trusted machine only. Without the header the caller has no account (tenant-scoped routes
 * answer 401); a malformed or repeated header is refused with 401 rather than guessed at.
 */
export const devAccountAuthenticator: Authenticator = {
  async authenticate(headers) {
    const account = single(headers[accountHeader], 'X-AWP-Account');
    const user = single(headers[userHeader], 'X-AWP-User');
    if (account !== undefined && !uuid.test(account) && !slug.test(account)) {
      throw new AwpError(
        'unauthorized',
        'X-AWP-Account must be a UUID or a slug of lowercase letters, digits and dashes (at most 64)',
        { field: 'X-AWP-Account' },
      );
    }
    if (user !== undefined && !userId.test(user)) {
      throw new AwpError(
        'unauthorized',
        'X-AWP-User must be 1 to 128 printable characters without spaces',
        { field: 'X-AWP-User' },
      );
    }
    if (account === undefined) {
      return { ...anonymousIdentity, actor: { type: 'user', id: user ?? 'anonymous' } };
    }
    // Whoever names an account on their own machine owns it: there is nobody to ask.
    return {
      actor: { type: 'user', id: user ?? 'anonymous' },
      accountId: account.toLowerCase(),
      roles: ['owner'],
      credential: 'dev_header',
    };
  },
};

/** One value or none; Node joins most repeated headers with ', ', which no valid value holds. */
function single(value: string | string[] | undefined, name: string): string | undefined {
  if (Array.isArray(value)) {
    throw new AwpError('unauthorized', `${name} must be sent once`, { field: name });
  }
  return value === undefined || value === '' ? undefined : value;
}
