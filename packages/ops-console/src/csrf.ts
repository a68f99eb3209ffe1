// CSRF tokens bound to a session: the session id lives in an HttpOnly, SameSite=Strict cookie, and
// the token a form carries is the HMAC of that id under the console's secret. A POST is accepted
// only when its token matches its own session cookie, so a page on another origin can neither
// read a token nor make one.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'plumbline_console_session';

export interface Session {
  id: string;
  /** True when the request had no valid session cookie and the response must set one. */
  fresh: boolean;
}

const SESSION_ID = /^[A-Za-z0-9_-]{32,64}$/;

/** The session cookie's value, when present and well-formed. */
export function readSession(request: Request): Session {
  const header = request.headers.get('cookie') ?? '';
  for (const pair of header.split(';')) {
    const [name, ...rest] = pair.trim().split('=');
    const value = rest.join('=');
    if (name === SESSION_COOKIE && SESSION_ID.test(value)) return { id: value, fresh: false };
  }
  return { id: randomBytes(24).toString('base64url'), fresh: true };
}

export function sessionCookie(session: Session, path: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${session.id}; Path=${path || '/'}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function csrfToken(secret: Uint8Array, session: Session): string {
  return createHmac('sha256', secret).update(`csrf:${session.id}`).digest('base64url');
}

/** Whether `token` is this session's token (compared in constant time). */
export function validToken(secret: Uint8Array, session: Session, token: unknown): boolean {
  if (session.fresh || typeof token !== 'string') return false;
  const expected = Buffer.from(csrfToken(secret, session));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
