/**
 * URL helpers. Source URLs may carry credentials (`http://user:pass@host`);
 * every URL that reaches a message, an issue or a distribution goes through
 * `redactUrl` first.
 */

/** Parse the configured base URL of an InfluxDB API; the error names the value and the fix. */
export function parseBaseUrl(text: string, owner: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `${owner}: url ${JSON.stringify(text)} is not a valid URL; write it as http://host:8086`,
    );
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${owner}: url ${redactUrl(url)} uses ${url.protocol}; use http: or https:`);
  }

  url.search = '';
  url.hash = '';
  return url;
}

/** Return the URL without user name, password, query string and fragment. */
export function redactUrl(url: URL | string): string {
  const copy = new URL(url.toString());
  copy.username = '';
  copy.password = '';
  copy.search = '';
  copy.hash = '';
  return copy.toString();
}

/** Join an API path (`/query`, `/api/v2/buckets`) to a base URL that may itself have a path prefix. */
export function apiUrl(base: URL, path: string): URL {
  const url = new URL(base.toString());
  url.username = '';
  url.password = '';
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  return url;
}

/** Redact a configured URL for messages, tolerating one that does not parse. */
export function redactUrlText(text: string): string {
  try {
    return redactUrl(text);
  } catch {
    return '(invalid url)';
  }
}
