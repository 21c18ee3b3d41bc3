/** Reason a request to InfluxDB failed. Harvesters turn each code into a harvest issue. */
export type InfluxErrorCode =
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'auth-failed'
  | 'http-status'
  | 'invalid-response'
  | 'response-too-large'
  | 'query-failed'
  | 'config';

/**
 * An error from talking to InfluxDB. `url` never contains credentials or the
 * query string, so the message is safe to log and to store in a harvest issue.
 */
export class InfluxHarvestError extends Error {
  constructor(
    readonly code: InfluxErrorCode,
    message: string,
    readonly url?: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InfluxHarvestError';
  }
}

/**
 * Describe any thrown value in one line, for issues and logs. Errors are
 * recognised by shape, not with instanceof, because errors from Node's
 * built-in fetch come from another realm when code runs in a vm context
 * (as under Jest).
 */
export function describeError(error: unknown): string {
  if (isErrorLike(error)) {
    // Node.js 24 appends advice about its --use-system-ca flag to certificate errors; Weft's own fix
    // (set caFile) follows the message instead.
    return error.message.replace(
      /; if the root CA is installed locally, try running Node\.js with --use-system-ca$/,
      '',
    );
  }
  return String(error);
}

/** Tell whether a value looks like an Error: an object with a string message. */
export function isErrorLike(
  value: unknown,
): value is { name?: unknown; message: string; cause?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * Shorten a server's text for a message: control characters become spaces and
 * anything past `maxLength` characters is cut and marked with `...`.
 */
export function printableExcerpt(text: string, maxLength = 120): string {
  let printable = '';
  for (const character of text.slice(0, maxLength)) {
    const code = character.charCodeAt(0);
    printable += code < 0x20 || code === 0x7f ? ' ' : character;
  }

  const squeezed = printable.replace(/ {2,}/g, ' ').trim();
  return text.length > maxLength ? `${squeezed}...` : squeezed;
}

/**
 * Suggest the fix for a failed connection. A TLS certificate that Node's
 * OpenSSL rejected (codes such as UNABLE_TO_VERIFY_LEAF_SIGNATURE or
 * SELF_SIGNED_CERT_IN_CHAIN) needs caFile; anything else needs a running server.
 */
export function networkErrorFix(error: unknown): string {
  const cause = isErrorLike(error) && error.cause !== undefined ? error.cause : error;
  const code =
    typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;

  if (
    typeof code === 'string' &&
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)
  ) {
    return "set caFile to the CA certificate that signed the server's certificate";
  }
  return 'check that InfluxDB runs and the url is right';
}
