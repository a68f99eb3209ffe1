/** NetSuite's error body (`type`, `title`, `status`, `o:errorDetails[]`) as a Response. */

const TITLES: Record<number, [string, string]> = {
  400: ['Bad Request', '15.5.1'],
  401: ['Unauthorized', '15.5.2'],
  403: ['Forbidden', '15.5.4'],
  404: ['Not Found', '15.5.5'],
  405: ['Method Not Allowed', '15.5.6'],
  409: ['Conflict', '15.5.10'],
  415: ['Unsupported Media Type', '15.5.16'],
  429: ['Too Many Requests', '6.5.1'],
  500: ['Internal Server Error', '15.6.1'],
};

export interface ErrorDetailInit {
  detail: string;
  code: string;
  path?: string;
  queryParam?: string;
  header?: string;
  urlPath?: string;
}

export function errorBody(
  status: number,
  details: ErrorDetailInit[],
  /** The RFC status whose title and section to cite, when NetSuite's differs from `status`. */
  titleOf: number = status,
): Record<string, unknown> {
  const [title, section] = TITLES[titleOf] ?? ['Error', '15'];
  const type =
    titleOf === 429
      ? 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4'
      : `https://www.rfc-editor.org/rfc/rfc9110.html#section-${section}`;
  return {
    type,
    title,
    status,
    'o:errorDetails': details.map((d) => ({
      detail: d.detail,
      ...(d.path === undefined ? {} : { 'o:errorPath': d.path }),
      ...(d.queryParam === undefined ? {} : { 'o:errorQueryParam': d.queryParam }),
      ...(d.header === undefined ? {} : { 'o:errorHeader': d.header }),
      ...(d.urlPath === undefined ? {} : { 'o:errorUrl': d.urlPath }),
      'o:errorCode': d.code,
    })),
  };
}

export function errorResponse(
  status: number,
  detail: ErrorDetailInit | ErrorDetailInit[],
  headers?: Record<string, string>,
  titleOf?: number,
): Response {
  const details = Array.isArray(detail) ? detail : [detail];
  return new Response(JSON.stringify(errorBody(status, details, titleOf)), {
    status,
    headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error', ...headers },
  });
}

/** 400 INVALID_PARAMETER, naming the query parameter when there is one. */
export function invalidParameter(detail: string, queryParam?: string): Response {
  return errorResponse(400, {
    detail,
    code: 'INVALID_PARAMETER',
    ...(queryParam ? { queryParam } : {}),
  });
}
