import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { JWK } from 'jose';
import type { Role } from '../../contracts/index.js';

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
  return `${dataDir.replace(/[/\\]+$/, '')}-dev-issuer.jwk`;
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `dev-${randomUUID().slice(0, 8)}` };
}

async function keyFileContent(path: string): Promise<JWK> {
  try {
    return parseJwk(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const jwk = await newPrivateJwk();
  await mkdir(dirname(path), { recursive: true });
  try {
    // 'wx': `awp token` and `awp start` racing must end with one key, not two.
    await writeFile(path, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return parseJwk(await readFile(path, 'utf8'), path);
    }
    throw error;
  }
  await chmod(path, 0o600);
  return jwk;
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
