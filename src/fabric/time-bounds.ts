import { FabricError } from './fabric.error';

const NANOS_PER_MILLISECOND = 1_000_000n;
const NANOS_PER_SECOND = 1_000_000_000n;
const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Read an RFC 3339 timestamp, a PostgreSQL timestamp or a date as
 * nanoseconds since the Unix epoch, keeping every fractional digit (a JS
 * Date keeps milliseconds only). A time without an offset is read as UTC.
 */
export function toNanoseconds(text: string, what: string): bigint {
  const match = PATTERN.exec(text.trim());
  if (match === null) {
    throw new FabricError(
      'INVALID_QUERY',
      `${what} ${JSON.stringify(text.slice(0, 40))} is not a timestamp: give RFC 3339 (2024-03-01T10:00:00Z)`,
    );
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] =
    match;
  const utcMilliseconds = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const offsetMinutes = zoneOffsetMinutes(zone);
  const wholeNanos = BigInt(utcMilliseconds - offsetMinutes * 60_000) * NANOS_PER_MILLISECOND;
  return wholeNanos + BigInt(fraction.padEnd(9, '0') || '0');
}

/** Write nanoseconds since the epoch as RFC 3339 in UTC, with as many fractional digits as needed. */
export function fromNanoseconds(nanoseconds: bigint): string {
  let seconds = nanoseconds / NANOS_PER_SECOND;
  let fraction = nanoseconds % NANOS_PER_SECOND;
  if (fraction < 0n) {
    fraction += NANOS_PER_SECOND;
    seconds -= 1n;
  }
  const whole = new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  if (fraction === 0n) {
    return `${whole}Z`;
  }
  return `${whole}.${fraction.toString().padStart(9, '0').replace(/0+$/, '')}Z`;
}

/** True for a date without a time (`2024-03-01`), whose end is the end of that day. */
export function isDateOnly(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
}

function zoneOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') {
    return 0;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}
