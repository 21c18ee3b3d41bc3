import { OaiPmhError } from './oai-pmh.error';
import type { OaiPosition, OaiSelection } from './oai-records.repository';

/** What a resumption token carries: the original request's selection and where the next page starts. */
export interface ResumptionState {
  metadataPrefix: string;
  selection: OaiSelection;
  position: OaiPosition;
  /** Records already sent before the next page (the `cursor` attribute). */
  cursor: number;
}

interface TokenBody {
  v: 1;
  m: string;
  s: string | null;
  f: string | null;
  u: string | null;
  t: string;
  i: string;
  c: number;
}

/**
 * Encode the state as an opaque token (base64url JSON). Tokens carry no
 * server state, so they never expire and survive a restart; a page whose
 * records changed meanwhile still resumes after the last record sent.
 */
export function encodeResumptionToken(state: ResumptionState): string {
  const body: TokenBody = {
    v: 1,
    m: state.metadataPrefix,
    s: state.selection.sourceKey,
    f: state.selection.from?.toISOString() ?? null,
    u: state.selection.until?.toISOString() ?? null,
    t: state.position.cursorTime,
    i: state.position.datasetId,
    c: state.cursor,
  };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** Decode a token, or raise badResumptionToken for anything this repository did not issue. */
export function decodeResumptionToken(token: string): ResumptionState {
  const body = parse(token);
  if (body === null) {
    throw new OaiPmhError(
      'badResumptionToken',
      `resumptionToken "${token.slice(0, 80)}" was not issued by this repository or is damaged: start the list again without it`,
    );
  }
  return {
    metadataPrefix: body.m,
    selection: {
      sourceKey: body.s,
      from: body.f === null ? null : new Date(body.f),
      until: body.u === null ? null : new Date(body.u),
    },
    position: { cursorTime: body.t, datasetId: body.i },
    cursor: body.c,
  };
}

function parse(token: string): TokenBody | null {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(token)) {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const body = value as Record<string, unknown>;
  const valid =
    body.v === 1 &&
    typeof body.m === 'string' &&
    isNullableText(body.s) &&
    isNullableDate(body.f) &&
    isNullableDate(body.u) &&
    typeof body.t === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(body.t) &&
    typeof body.i === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(body.i) &&
    typeof body.c === 'number' &&
    Number.isInteger(body.c) &&
    body.c >= 0;
  return valid ? (body as unknown as TokenBody) : null;
}

function isNullableText(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

function isNullableDate(value: unknown): boolean {
  return value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
}
