import { AwpError } from '../../contracts/index.js';
import type { Authenticator } from '../middleware/authenticate.js';
import { devAccountAuthenticator } from '../middleware/devAccountAuthenticator.js';
import { apiKeyPrefix } from './apiKeyVerifier.js';
import type { ApiKeyVerifier } from './apiKeyVerifier.js';
import { anonymousIdentity } from './identity.js';
import type { Identity, JwtVerifier } from './identity.js';

export interface CredentialAuthenticatorOptions {
  /** Bearer JWTs: trusted OIDC issuers and, where enabled, the local development issuer. */
  jwt?: JwtVerifier;
  apiKeys?: ApiKeyVerifier;
  /** `X-AWP-Account` without proof: the embedded profile's convenience, never distributed. */
  devHeader?: boolean;
  /**
   * Whether a bearer credential is the operator's `AWP_ADMIN_TOKEN`: such a caller is the
   * platform operator, with no account; the admin routes check the token themselves.
   */
  isOperatorToken?(credential: string): boolean;
}

const operatorIdentity: Identity = {
  actor: { type: 'system', id: 'operator' },
  roles: [],
  credential: 'none',
};

/** Longer than any real JWT or API key: refused before anything parses it. */
const maxCredentialLength = 16 * 1024;

/**
 * `Authorization: Bearer <credential>`: an API key (`awp_…`) or a JWT. Without the header the
 * caller is anonymous (or, embedded, whoever `X-AWP-Account` names), and tenant-scoped routes
 * answer 401. A credential that is present but wrong is refused here, never downgraded to
 * anonymous.
 */
export function credentialAuthenticator(options: CredentialAuthenticatorOptions): Authenticator {
  return {
    async authenticate(headers) {
      const authorization = headers.authorization;
      if (authorization === undefined || authorization === '') {
        return options.devHeader
          ? devAccountAuthenticator.authenticate(headers)
          : anonymousIdentity;
      }
      if (Array.isArray(authorization)) {
        throw new AwpError('unauthorized', 'Authorization must be sent once');
      }
      if (headers['x-awp-account'] !== undefined) {
        throw new AwpError(
          'unauthorized',
          'send either Authorization or X-AWP-Account: the token already names the account',
        );
      }
      const match = /^Bearer +(\S+) *$/i.exec(authorization);
      if (!match?.[1]) {
        throw new AwpError('unauthorized', 'Authorization must be "Bearer <token or API key>"');
      }
      const credential = match[1];
      if (credential.length > maxCredentialLength) {
        throw new AwpError('unauthorized', 'the credential is too long to be a token');
      }
      if (options.isOperatorToken?.(credential)) return operatorIdentity;
      if (credential.startsWith(apiKeyPrefix)) {
        if (!options.apiKeys) throw new AwpError('unauthorized', 'API keys are not accepted here');
        return options.apiKeys.verify(credential);
      }
      if (!options.jwt) {
        throw new AwpError('unauthorized', 'no token issuer is trusted (AWP_OIDC_ISSUERS)');
      }
      return options.jwt.verify(credential);
    },
  };
}
