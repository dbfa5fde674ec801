// The admin API client: same origin, the API key from sessionStorage as a Bearer token, errors in the service's one
// shape ({"error": {"code", "message", "field"}}) turned into ApiError.

const KEY_ITEM = 'tycostream.apiKey';

/** A refused or failed API call, with the service's error code, message and the field it names (if any). */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

/** The API key of this tab, or null when signed out. Kept in sessionStorage only: it ends with the tab. */
export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function signIn(key) {
  sessionStorage.setItem(KEY_ITEM, key);
}

export function signOut() {
  sessionStorage.removeItem(KEY_ITEM);
}

/** Listeners told when the API answers 401 (the key is wrong, revoked or expired). */
const unauthorizedListeners = [];
export function onUnauthorized(listener) {
  unauthorizedListeners.push(listener);
}

/**
 * Calls the API: request('GET', '/api/v1/triggers', {query: {limit: 10}}), request('POST', path, {body: {...}}).
 * Resolves to {status, body, headers}; rejects with ApiError for any answer outside 2xx and for network failures.
 */
export async function request(method, path, {query, body, headers = {}} = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  const sent = {...headers};
  const key = apiKey();
  if (key) sent['Authorization'] = `Bearer ${key}`;
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store'});
  } catch (failure) {
    throw new ApiError(0, 'network', `the service did not answer: ${failure.message}`);
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch (notJson) {
      parsed = {text};
    }
  }
  if (!response.ok) {
    const error = parsed && parsed.error ? parsed.error : {};
    const failure = new ApiError(response.status, error.code || `http_${response.status}`,
      error.message || `HTTP ${response.status}`, error.field);
    if (response.status === 401) unauthorizedListeners.forEach(listener => listener(failure));
    throw failure;
  }
  return {status: response.status, body: parsed, headers: response.headers};
}

/** Path of a trigger, with its name URL-encoded. */
export function triggerPath(name, suffix = '') {
  return `/api/v1/triggers/${encodeURIComponent(name)}${suffix}`;
}
