import { createHash } from 'node:crypto';

import { FabricError } from './fabric.error';

/**
 * Position after the last row of a page. `offset` counts rows to skip;
 * with `afterTime`, it counts the rows at exactly that time already
 * returned, and the next page starts at that time (keyset paging, so deep
 * pages cost no more than the first).
 */
export interface PageCursor {
  offset: number;
  afterTime?: string;
}

interface CursorPayload {
  /** Fingerprint of the query the cursor belongs to. */
  q: string;
  o: number;
  t?: string;
}

/**
 * Fingerprint a query's input without its paging arguments, so a cursor is
 * only accepted by the query that produced it.
 */
export function queryFingerprint(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('base64url').slice(0, 16);
}

export function encodeCursor(fingerprint: string, cursor: PageCursor): string {
  const payload: CursorPayload = { q: fingerprint, o: cursor.offset };
  if (cursor.afterTime !== undefined) {
    payload.t = cursor.afterTime;
  }
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** Read a cursor; a malformed one, or one of another query, is rejected with the fix. */
export function decodeCursor(text: string | null | undefined, fingerprint: string): PageCursor {
  if (text === null || text === undefined || text === '') {
    return { offset: 0 };
  }

  let payload: Partial<CursorPayload>;
  try {
    payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    throw invalidCursor(text);
  }
  if (
    typeof payload !== 'object' ||
    payload === null ||
    typeof payload.q !== 'string' ||
    typeof payload.o !== 'number' ||
    !Number.isSafeInteger(payload.o) ||
    payload.o < 0 ||
    (payload.t !== undefined &&
      (typeof payload.t !== 'string' || Number.isNaN(Date.parse(payload.t))))
  ) {
    throw invalidCursor(text);
  }
  if (payload.q !== fingerprint) {
    throw new FabricError(
      'INVALID_CURSOR',
      'the cursor belongs to a different query: pass endCursor back with the same input, or drop after to start again',
    );
  }

  return payload.t === undefined
    ? { offset: payload.o }
    : { offset: payload.o, afterTime: payload.t };
}

/** JSON with object keys sorted, so equal inputs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function invalidCursor(text: string): FabricError {
  return new FabricError(
    'INVALID_CURSOR',
    `cursor "${text.slice(0, 40)}" is invalid: pass the endCursor of the previous page unchanged`,
  );
}
