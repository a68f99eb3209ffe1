import { constants, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { signJwt, verifyJwt } from './jwt.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const pem = (k: typeof rsa.privateKey) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
const payload = { iss: 'client-1', sub: 'user@example.com', aud: 'https://login.test', exp: 2e9 };

function parts(token: string) {
  const [h, p, s] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
    input: `${h}.${p}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

describe('signJwt / verifyJwt', () => {
  it('signs RS256 (PKCS#1 v1.5) that node:crypto verifies independently', () => {
    const token = signJwt({
      payload,
      privateKey: pem(rsa.privateKey),
      algorithm: 'RS256',
      kid: 'k1',
    });
    const t = parts(token);
    expect(t.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
    expect(t.payload).toEqual(payload);
    expect(verify('sha256', Buffer.from(t.input), rsa.publicKey, t.signature)).toBe(true);
    expect(verifyJwt(token, rsa.publicKey)?.payload).toEqual(payload);
  });

  it('signs PS256 with PSS padding and a digest-length salt', () => {
    const token = signJwt({ payload, privateKey: rsa.privateKey, algorithm: 'PS256' });
    const t = parts(token);
    const ok = verify(
      'sha256',
      Buffer.from(t.input),
      { key: rsa.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      t.signature,
    );
    expect(ok).toBe(true);
    expect(verifyJwt(token, rsa.publicKey)?.header.alg).toBe('PS256');
  });

  it('signs ES256 in JOSE raw r||s form (64 bytes), not DER', () => {
    const token = signJwt({ payload, privateKey: pem(p256.privateKey), algorithm: 'ES256' });
    const t = parts(token);
    expect(t.signature).toHaveLength(64);
    const ok = verify(
      'sha256',
      Buffer.from(t.input),
      { key: p256.publicKey, dsaEncoding: 'ieee-p1363' },
      t.signature,
    );
    expect(ok).toBe(true);
    expect(verifyJwt(token, p256.publicKey)?.payload.sub).toBe('user@example.com');
    const es384 = signJwt({ payload, privateKey: p384.privateKey, algorithm: 'ES384' });
    expect(parts(es384).signature).toHaveLength(96);
    expect(verifyJwt(es384, p384.publicKey)).toBeDefined();
  });

  it('rejects tampered tokens, wrong keys and unsupported algorithms', () => {
    const token = signJwt({ payload, privateKey: rsa.privateKey, algorithm: 'RS256' });
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'admin' })).toString('base64url')}.${s}`;
    expect(verifyJwt(forged, rsa.publicKey)).toBeUndefined();
    expect(verifyJwt(token, p256.publicKey)).toBeUndefined();
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`;
    expect(verifyJwt(none, rsa.publicKey)).toBeUndefined();
    expect(verifyJwt('not-a-jwt', rsa.publicKey)).toBeUndefined();
  });

  it('names the problem when the key does not fit the algorithm', () => {
    expect(() => signJwt({ payload, privateKey: rsa.privateKey, algorithm: 'ES256' })).toThrow(
      ConfigError,
    );
    expect(() => signJwt({ payload, privateKey: p384.privateKey, algorithm: 'ES256' })).toThrow(
      /ES256 needs an EC key on prime256v1/,
    );
    expect(() => signJwt({ payload, privateKey: 'garbage', algorithm: 'RS256' })).toThrow(
      /`privateKey`/,
    );
    expect(() =>
      signJwt({ payload, privateKey: rsa.privateKey, algorithm: 'HS256' as 'RS256' }),
    ).toThrow(/`algorithm`/);
  });
});
