// The API client: cookie session + X-CSRF-Token on anything that changes state; errors are problem+json.

let csrf = null;
let session = null;

export class ApiError extends Error {
  constructor(status, detail, problem = null) {
    super(detail);
    this.status = status;
    this.problem = problem; // the whole problem+json (e.g. a 422's errors: [{file, line, column, message}])
  }
}

export function setSession(value) {
  session = value;
  csrf = value?.csrf ?? null;
}

export const currentSession = () => session;

const ROLES = ['viewer', 'reviewer', 'editor', 'owner'];
/** True when the session's role is at least `role`. */
export const can = role => session !== null && ROLES.indexOf(session.role) >= ROLES.indexOf(role);

/** /api/workspaces/{ws} + path, each segment escaped. */
export const ws = (...segments) =>
  ['/api/workspaces', session.workspace, ...segments].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');

/**
 * @param {{ method?: string, body?: any, raw?: string, type?: string, text?: boolean, keepalive?: boolean }} options
 *   body is sent as JSON; raw as is, with Content-Type `type` (a chain's YAML, a prompt file, a secret)
 */
export async function api(path, { method = 'GET', body, raw, type = 'text/plain; charset=utf-8', text = false, keepalive = false } = {}) {
  const headers = { Accept: text ? 'text/plain' : 'application/json' };
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(body);
  } else if (raw !== undefined) {
    headers['Content-Type'] = type;
    body = raw;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, keepalive, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'the server cannot be reached; check your connection');
  }
  if (response.status === 401 && path !== '/api/login' && path !== '/api/session') {
    window.dispatchEvent(new CustomEvent('baton:unauthorized'));
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    throw new ApiError(response.status, problem?.detail || problem?.title || `${response.status} ${response.statusText}`, problem);
  }
  if (response.status === 204) return null;
  return text ? response.text() : response.json();
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}
