import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { JWK } from 'jose';
import type { Role } from '../../contracts/index.js';
import { keyFileBeside, readOrCreateKeyFile } from '../system/keyFile.js';

/** What `awp token` signs and `awp start` trusts: a local issuer for one's own machine. */
export const devIssuerName = 'https://dev-issuer.awp.invalid';
export const devAudience = 'awp-dev';
const algorithm = 'EdDSA';

export interface DevIssuer {
  issuer: string;
  audience: string;
  /** The public half, as a JWKS the verifier trusts. */
  publicKeys: { keys: JWK[] };
  sign(claims: DevTokenClaims): Promise<string>;
}

export interface DevTokenClaims {
  accountId: string;
  roles: readonly Role[];
  userId: string;
  ttlSeconds: number;
}

/**
 * The development issuer's key pair lives beside the embedded data (`<dataDir>-dev-issuer.jwk`,
 * mode 0600), created by whichever of `awp token` and `awp start` runs first, so both agree
 * without any setup. A `memory://` data directory keeps the key in this process only.
 */
export async function openDevIssuer(dataDir: string): Promise<DevIssuer> {
  const privateJwk = dataDir.startsWith('memory://')
    ? await newPrivateJwk()
    : await keyFileContent(devIssuerKeyFile(dataDir));
  const privateKey = await importJWK(privateJwk, algorithm);
  const { d: _private, ...publicJwk } = privateJwk;
  return {
    issuer: devIssuerName,
    audience: devAudience,
    publicKeys: { keys: [{ ...publicJwk, use: 'sig', alg: algorithm }] },
    async sign(claims) {
      return new SignJWT({ awp_account: claims.accountId, roles: [...claims.roles] })
        .setProtectedHeader({ alg: algorithm, kid: privateJwk.kid ?? 'dev', typ: 'JWT' })
        .setIssuer(devIssuerName)
        .setAudience(devAudience)
        .setSubject(claims.userId)
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(`${claims.ttlSeconds}s`)
        .sign(privateKey);
    },
  };
}

export function devIssuerKeyFile(dataDir: string): string {
  return keyFileBeside(dataDir, 'dev-issuer.jwk');
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `dev-${randomUUID().slice(0, 8)}` };
}

function keyFileContent(path: string): Promise<JWK> {
  return readOrCreateKeyFile(path, {
    create: newPrivateJwk,
    format: (jwk) => `${JSON.stringify(jwk)}\n`,
    parse: (text) => parseJwk(text, path),
  });
}

function parseJwk(text: string, path: string): JWK {
  try {
    const jwk = JSON.parse(text) as JWK;
    if (jwk.kty !== 'OKP' || typeof jwk.d !== 'string') throw new Error('not an Ed25519 key');
    return jwk;
  } catch (error) {
    throw new Error(`${path}: not a development issuer key (${(error as Error).message})`, {
      cause: error,
    });
  }
}
