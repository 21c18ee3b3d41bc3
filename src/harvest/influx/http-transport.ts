import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';

import {
  InfluxHarvestError,
  describeError,
  isErrorLike,
  networkErrorFix,
} from './influx-harvest.error';
import { redactUrl } from './influx-url';

/** One HTTP exchange with an InfluxDB server. */
export interface HttpRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The caller's signal (harvest shutdown); the timeout is added here. */
  signal: AbortSignal;
  timeoutMs: number;
  /** PEM CA certificates that replace the system roots for https URLs. */
  ca?: string;
  /** Responses larger than this fail, so a misbehaving server cannot exhaust memory. */
  maxBodyBytes: number;
  /**
   * Ask for an uncompressed body (`Accept-Encoding: identity`). fetch
   * otherwise accepts gzip, which costs both ends CPU time that a small
   * response on a local network does not win back.
   */
  uncompressed?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Map<string, string>;
  body: Buffer;
}

/**
 * Send one request. Plain requests use the global fetch. A request that must
 * trust a private CA goes through node:https, because Node 22 does not expose
 * undici's Agent (the only way to give fetch a CA) without installing undici.
 */
export async function sendHttpRequest(request: HttpRequest): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);

  try {
    if (request.ca !== undefined && request.url.protocol === 'https:') {
      return await sendWithNodeHttps(request, signal);
    }
    return await sendWithFetch(request, signal);
  } catch (error) {
    throw toTransportError(error, request, timeout);
  }
}

async function sendWithFetch(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  const headers =
    request.uncompressed === true
      ? { ...request.headers, 'accept-encoding': 'identity' }
      : request.headers;
  const response = await fetch(request.url, {
    method: request.method,
    headers,
    body: request.body,
    signal,
    redirect: 'error',
  });

  const responseHeaders = new Map<string, string>();
  response.headers.forEach((value, name) => responseHeaders.set(name.toLowerCase(), value));

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body !== null) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      // Throwing out of the loop cancels the stream, which closes the connection.
      if (size > request.maxBodyBytes) {
        throw tooLarge(request);
      }
      chunks.push(chunk);
    }
  }

  return { status: response.status, headers: responseHeaders, body: Buffer.concat(chunks) };
}

function sendWithNodeHttps(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const outgoing = httpsRequest(
      request.url,
      { method: request.method, headers: request.headers, ca: request.ca, signal },
      (incoming) => {
        collectIncoming(incoming, request).then(resolve, reject);
      },
    );

    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function collectIncoming(incoming: IncomingMessage, request: HttpRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;

    incoming.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > request.maxBodyBytes) {
        incoming.destroy(tooLarge(request));
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('error', reject);
    incoming.on('end', () => {
      const headers = new Map<string, string>();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined) {
          headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
        }
      }
      resolve({ status: incoming.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
    });
  });
}

function tooLarge(request: HttpRequest): InfluxHarvestError {
  return new InfluxHarvestError(
    'response-too-large',
    `${request.method} ${redactUrl(request.url)} returned more than ${request.maxBodyBytes} bytes; ` +
      'narrow the harvest (databases, buckets) or raise the response size limit',
    redactUrl(request.url),
  );
}

function toTransportError(error: unknown, request: HttpRequest, timeout: AbortSignal): unknown {
  if (error instanceof InfluxHarvestError) {
    return error;
  }

  const url = redactUrl(request.url);
  if (request.signal.aborted) {
    return new InfluxHarvestError(
      'aborted',
      `${request.method} ${url} was aborted`,
      url,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (timeout.aborted) {
    return new InfluxHarvestError(
      'timeout',
      `${request.method} ${url} timed out after ${request.timeoutMs} ms; check that the server is ` +
        'reachable or raise the request timeout',
      url,
      undefined,
      { cause: error },
    );
  }

  return new InfluxHarvestError(
    'network',
    `${request.method} ${url} failed: ${describeNetworkError(error)}; ${networkErrorFix(error)}`,
    url,
    undefined,
    { cause: error },
  );
}

/** fetch reports `TypeError: fetch failed` and keeps the useful part (ECONNREFUSED ...) in `cause`. */
function describeNetworkError(error: unknown): string {
  if (isErrorLike(error) && error.cause !== undefined) {
    return describeError(error.cause);
  }
  return describeError(error);
}

/** Read a PEM CA file named in a source's configuration; the error names the path and the fix. */
export function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InfluxHarvestError(
      'config',
      `cannot read CA file ${path} (${describeError(error)}); fix caFile or create the file`,
    );
  }
}
