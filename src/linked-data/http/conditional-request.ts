import { createHash } from 'node:crypto';

import type { IncomingHttpHeaders } from 'node:http';

/** Compute a strong entity tag from a response body and its media type, so each format has its own tag. */
export function entityTag(body: Buffer, contentType: string): string {
  const hash = createHash('sha256')
    .update(contentType)
    .update('\n')
    .update(body)
    .digest('base64url');
  return `"${hash.slice(0, 32)}"`;
}

/**
 * Decide whether a GET or HEAD gets 304 Not Modified (RFC 9110, section
 * 13.2.2). If-None-Match decides when present, with weak comparison.
 * Otherwise If-Modified-Since does, at one-second resolution because
 * Last-Modified has no finer one.
 */
export function isNotModified(
  headers: IncomingHttpHeaders,
  etag: string,
  lastModified: Date | null,
): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return matchesAny(ifNoneMatch, etag);
  }

  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined || lastModified === null) {
    return false;
  }
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) {
    return false;
  }
  return Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

function matchesAny(header: string, etag: string): boolean {
  if (header.trim() === '*') {
    return true;
  }
  const opaque = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === opaque);
}
