const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Convert an RFC 3339 timestamp with up to nanosecond digits, as InfluxDB
 * writes them, to nanoseconds since the epoch. Strings with different numbers
 * of fraction digits do not sort as text, and a JavaScript number cannot hold
 * today's nanosecond timestamps exactly, so comparisons go through BigInt.
 */
export function rfc3339ToNanoseconds(text: string): bigint | undefined {
  const match = RFC3339.exec(text);
  if (match === null) {
    return undefined;
  }

  const [, wholeSeconds, fraction = '', zone] = match;
  const milliseconds = Date.parse(`${wholeSeconds}${zone}`);
  if (Number.isNaN(milliseconds)) {
    return undefined;
  }

  const fractionNanoseconds = BigInt(fraction.padEnd(9, '0'));
  return BigInt(milliseconds) * 1_000_000n + fractionNanoseconds;
}

/** Return the earlier (or later, with `pick` = 'latest') of two RFC 3339 timestamps; undefined ones are ignored. */
export function pickTimestamp(
  current: string | undefined,
  candidate: string | undefined,
  pick: 'earliest' | 'latest',
): string | undefined {
  if (candidate === undefined) {
    return current;
  }
  if (current === undefined) {
    return candidate;
  }

  const currentValue = rfc3339ToNanoseconds(current);
  const candidateValue = rfc3339ToNanoseconds(candidate);
  if (currentValue === undefined || candidateValue === undefined) {
    return current;
  }

  const candidateWins =
    pick === 'earliest' ? candidateValue < currentValue : candidateValue > currentValue;
  return candidateWins ? candidate : current;
}
