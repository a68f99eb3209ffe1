import { randomBytes } from 'node:crypto';
import { ConsoleInputError, type Context, type Page } from './context.js';
import { csrfToken, readSession, type Session, sessionCookie, validToken } from './csrf.js';
import { html } from './html.js';
import { layout } from './layout.js';
import type { ConsoleHandler, ConsoleOptions } from './options.js';
import { breakersPage } from './pages/breakers.js';
import { conflictsPage } from './pages/conflicts.js';
import { deadLettersPage, discardDeadLetter, replayDeadLetter } from './pages/dead-letters.js';
import { overviewPage } from './pages/overview.js';
import { ownershipPage } from './pages/ownership.js';
import { queuesPage } from './pages/queues.js';
import { reconciliationPage, redrive } from './pages/reconciliation.js';
import { runnersPage } from './pages/runners.js';
import { STYLESHEET } from './style.js';

/** Headers on every response: nothing may run, load or frame beyond the console's stylesheet. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 200;
const MAX_FORM_BYTES = 16 * 1024;

/** The fixed notices an action's redirect may name (no text travels in the URL). */
const NOTICES: Readonly<Record<string, string>> = {
  replayed: 'Replayed.',
  'replay-failed': 'The replay handler failed; the record stays parked with the new error.',
  discarded: 'Discarded.',
  'not-found': 'Nothing was there (already replayed or discarded?).',
  redriven: 'Re-driven.',
};

type PageRoute = (context: Context) => Page | Promise<Page>;
type ActionRoute = (context: Context, form: URLSearchParams) => Promise<string>;

const PAGES: Readonly<Record<string, PageRoute>> = {
  '/': overviewPage,
  '/dead-letters': deadLettersPage,
  '/conflicts': conflictsPage,
  '/reconciliation': reconciliationPage,
  '/queues': queuesPage,
  '/runners': runnersPage,
  '/breakers': breakersPage,
  '/ownership': ownershipPage,
};

/** Each action and the page its redirect returns to. */
const ACTIONS: Readonly<Record<string, { run: ActionRoute; back: string }>> = {
  '/dead-letters/replay': { run: replayDeadLetter, back: '/dead-letters' },
  '/dead-letters/discard': { run: discardDeadLetter, back: '/dead-letters' },
  '/reconciliation/redrive': { run: redrive, back: '/reconciliation' },
};

/** A bad option of `createConsole`: names the option and the problem. */
export class ConsoleOptionError extends Error {
  readonly code = 'CONSOLE_OPTION';
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`createConsole: ${option} ${problem}`);
    this.name = 'ConsoleOptionError';
  }
}

function checkOptions(options: ConsoleOptions) {
  const base = options.basePath ?? '';
  if (base !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(base))
    throw new ConsoleOptionError(
      'basePath',
      `must look like /ops (no trailing slash), got ${JSON.stringify(base)}`,
    );
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE))
    throw new ConsoleOptionError(
      'pageSize',
      `must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`,
    );
  const secret =
    options.secret === undefined
      ? randomBytes(32)
      : typeof options.secret === 'string'
        ? Buffer.from(options.secret)
        : options.secret;
  if (secret.length < 32)
    throw new ConsoleOptionError('secret', `must be at least 32 bytes, got ${secret.length}`);
  if (options.authorize !== undefined && typeof options.authorize !== 'function')
    throw new ConsoleOptionError('authorize', 'must be a function (request) => boolean');
  return { base, pageSize, secret };
}

/**
 * Creates the console: one handler for every page and action under `basePath`. It answers GET
 * with server-rendered HTML and POST actions only when `authorize` allows the request and the
 * form carries this session's CSRF token; everything else is refused.
 */
export function createConsole(options: ConsoleOptions): ConsoleHandler {
  const { base, pageSize, secret } = checkOptions(options);
  const now = options.now ?? Date.now;
  const title = options.title ?? 'Plumbline operations';

  const respond = (
    status: number,
    body: string,
    session: Session,
    secure: boolean,
    extra: Record<string, string> = {},
  ) => {
    const headers = new Headers({
      ...SECURITY_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      ...extra,
    });
    if (session.fresh) headers.append('set-cookie', sessionCookie(session, base || '/', secure));
    return new Response(body, { status, headers });
  };
  const problem = (status: number, message: string, session: Session, secure: boolean, path = '') =>
    respond(
      status,
      layout({ title, base, path, error: message }, statusText(status), html``),
      session,
      secure,
    );

  return async (request) => {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const session = readSession(request);
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`))
      return problem(404, 'Not a console page.', session, secure);
    const path = url.pathname.slice(base.length) || '/';
    if (path === '/style.css' && (request.method === 'GET' || request.method === 'HEAD')) {
      return new Response(request.method === 'HEAD' ? null : STYLESHEET, {
        headers: {
          ...SECURITY_HEADERS,
          'content-type': 'text/css; charset=utf-8',
          'cache-control': 'max-age=300',
        },
      });
    }
    const authorized = options.authorize ? (await options.authorize(request)) === true : false;
    const context: Context = {
      options,
      base,
      url,
      now: now(),
      pageSize,
      canAct: authorized,
      csrf: csrfToken(secret, session),
    };
    try {
      if (request.method === 'GET' || request.method === 'HEAD') {
        const route = PAGES[path];
        if (!route) return problem(404, `No page at ${path}.`, session, secure);
        const page = await route(context);
        const notice = NOTICES[url.searchParams.get('notice') ?? ''];
        const body = layout({ title, base, path, notice }, page.heading, page.body);
        return respond(200, request.method === 'HEAD' ? '' : body, session, secure);
      }
      if (request.method === 'POST') {
        const action = ACTIONS[path];
        if (!action) return problem(404, `No action at ${path}.`, session, secure);
        if (!options.authorize)
          return problem(
            403,
            'The console is read-only: the host configured no authorize hook.',
            session,
            secure,
          );
        if (!authorized) return problem(403, 'You are not authorized to act.', session, secure);
        if (!sameOrigin(request, url))
          return problem(403, 'The request came from another origin.', session, secure);
        const form = await readForm(request);
        if (!validToken(secret, session, form.get('csrf')))
          return problem(
            403,
            'The form’s CSRF token is missing or wrong; reload the page and try again.',
            session,
            secure,
          );
        const notice = await action.run(context, form);
        const back = new URLSearchParams({ notice });
        const source = form.get('source');
        if (source) back.set('source', source);
        return respond(303, '', session, secure, { location: `${base}${action.back}?${back}` });
      }
      return problem(405, `${request.method} is not allowed.`, session, secure, path);
    } catch (error) {
      if (error instanceof ConsoleInputError)
        return problem(400, error.message, session, secure, path);
      return problem(
        500,
        `The store failed: ${(error as Error)?.message ?? String(error)}`,
        session,
        secure,
        path,
      );
    }
  };
}

function statusText(status: number): string {
  return (
    {
      400: 'Bad request',
      403: 'Forbidden',
      404: 'Not found',
      405: 'Method not allowed',
      500: 'Store error',
    }[status] ?? 'Error'
  );
}

/** An Origin (or, without one, a Referer) from elsewhere is refused; neither present is allowed. */
function sameOrigin(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== 'null') return origin === url.origin;
  if (origin === 'null') return false;
  const referer = request.headers.get('referer');
  if (referer === null) return true;
  try {
    return new URL(referer).origin === url.origin;
  } catch {
    return false;
  }
}

async function readForm(request: Request): Promise<URLSearchParams> {
  // Any other body carries no form token, so the CSRF check refuses it with 403.
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const text = await request.text();
  if (text.length > MAX_FORM_BYTES)
    throw new ConsoleInputError('form', `is over ${MAX_FORM_BYTES} bytes`);
  return new URLSearchParams(text);
}
