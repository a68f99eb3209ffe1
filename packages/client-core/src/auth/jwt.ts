import {
  constants,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  type SignKeyObjectInput,
  sign,
  verify,
} from 'node:crypto';
import { ConfigError } from '../errors.js';

export type JwtAlgorithm =
  | 'RS256'
  | 'PS256'
  | 'ES256'
  | 'RS384'
  | 'PS384'
  | 'ES384'
  | 'RS512'
  | 'PS512'
  | 'ES512';

const CURVES: Record<string, string> = {
  '256': 'prime256v1',
  '384': 'secp384r1',
  '512': 'secp521r1',
};

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function parseAlgorithm(
  algorithm: string,
): { family: 'RS' | 'PS' | 'ES'; bits: string } | undefined {
  const match = /^(RS|PS|ES)(256|384|512)$/.exec(algorithm);
  if (!match) return undefined;
  return { family: match[1] as 'RS' | 'PS' | 'ES', bits: match[2]! };
}

/** Checks that the key fits the algorithm; returns a problem description or undefined. */
function keyProblem(key: KeyObject, family: 'RS' | 'PS' | 'ES', bits: string): string | undefined {
  const type = key.asymmetricKeyType;
  if (family === 'ES') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (type !== 'ec' || curve !== CURVES[bits]) {
      return `ES${bits} needs an EC key on ${CURVES[bits]}, got ${type ?? 'unknown'}${curve ? ` (${curve})` : ''}`;
    }
    return undefined;
  }
  if (type !== 'rsa' && type !== 'rsa-pss')
    return `${family}${bits} needs an RSA key, got ${type ?? 'unknown'}`;
  return undefined;
}

function signOptions(key: KeyObject, family: 'RS' | 'PS' | 'ES'): SignKeyObjectInput {
  if (family === 'PS') {
    return {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    };
  }
  if (family === 'ES') return { key, dsaEncoding: 'ieee-p1363' };
  return { key, padding: constants.RSA_PKCS1_PADDING };
}

/**
 * Signs a compact JWS with node:crypto. ES* signatures use the JOSE raw r||s form (RFC 7518
 * section 3.4), PS* use PSS with a salt as long as the digest.
 */
export function signJwt(options: {
  payload: Record<string, unknown>;
  privateKey: string | KeyObject;
  algorithm: JwtAlgorithm;
  kid?: string;
  header?: Record<string, unknown>;
}): string {
  const alg = parseAlgorithm(options.algorithm);
  if (!alg) {
    throw new ConfigError(
      'algorithm',
      `expected RS/PS/ES with 256/384/512, got ${String(options.algorithm)}`,
    );
  }
  let key: KeyObject;
  try {
    key =
      typeof options.privateKey === 'string'
        ? createPrivateKey(options.privateKey)
        : options.privateKey;
  } catch {
    throw new ConfigError('privateKey', 'could not be read as a PEM private key');
  }
  if (key.type !== 'private')
    throw new ConfigError('privateKey', `expected a private key, got a ${key.type} key`);
  const problem = keyProblem(key, alg.family, alg.bits);
  if (problem) throw new ConfigError('privateKey', problem);
  const header = {
    ...options.header,
    alg: options.algorithm,
    typ: 'JWT',
    ...(options.kid ? { kid: options.kid } : {}),
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(options.payload))}`;
  const signature = sign(`sha${alg.bits}`, Buffer.from(input), signOptions(key, alg.family));
  return `${input}.${base64url(signature)}`;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a compact JWS signed with one of the supported algorithms (for emulators). Returns the
 * header and payload, or undefined when malformed or the signature does not match. Claims such as
 * exp are not checked here.
 */
export function verifyJwt(
  token: string,
  publicKey: string | KeyObject,
): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart(h);
  const payload = decodePart(p);
  if (!header || !payload || typeof header.alg !== 'string') return undefined;
  const alg = parseAlgorithm(header.alg);
  if (!alg) return undefined;
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    if (keyProblem(key, alg.family, alg.bits)) return undefined;
    const options = signOptions(key, alg.family);
    const ok = verify(
      `sha${alg.bits}`,
      Buffer.from(`${h}.${p}`),
      options,
      Buffer.from(s, 'base64url'),
    );
    return ok ? { header, payload } : undefined;
  } catch {
    return undefined;
  }
}
