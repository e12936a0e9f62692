// REST calls with the session's token; problem+json errors become ApiError with field errors.
import { showBanner, hideBanner } from './banner.js';

const KEY = 'dialer.session';

export const session = {
  get() {
    try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; }
  },
  save(login) { sessionStorage.setItem(KEY, JSON.stringify(login)); },
  clear() { sessionStorage.removeItem(KEY); },
  token() { return this.get()?.token; },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = this.problem.errors || [];
  }
}

/**
 * api('POST', '/api/campaigns', body) -> parsed JSON. A string body is sent as CSV. A 401 ends the
 * session (the token expired): the page goes back to the login.
 */
export async function api(method, path, body, { accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (typeof body === 'string' || body instanceof Blob) {
    headers['Content-Type'] = 'text/csv';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch (e) {
    showBanner('The dialer node is unreachable. Retrying when you act again; live views reconnect by themselves.');
    throw new ApiError(0, { detail: 'the node is unreachable' });
  }
  hideBanner('http');
  if (response.status === 401 && path !== '/api/auth/login') {
    session.clear();
    location.hash = '#/login';
  }
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) {
    const problem = type.includes('json') ? await response.json().catch(() => null) : null;
    throw new ApiError(response.status, problem || { detail: `HTTP ${response.status}` });
  }
  if (accept !== 'application/json') return response.blob();
  if (response.status === 204 || !type.includes('json')) return null;
  return response.json();
}

/** Downloads an authenticated file (the CSV export): a link cannot carry the bearer token. */
export async function download(path, filename) {
  const blob = await api('GET', path, undefined, { accept: 'text/csv' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
