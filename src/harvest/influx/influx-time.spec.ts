import { pickTimestamp, rfc3339ToNanoseconds } from './influx-time';

describe('rfc3339ToNanoseconds', () => {
  it.each([
    ['1970-01-01T00:00:00Z', 0n],
    ['1970-01-01T00:00:01.5Z', 1_500_000_000n],
    ['2026-01-05T00:00:00.123456789Z', 1_767_571_200_123_456_789n],
    ['2026-01-05T01:00:00+01:00', 1_767_571_200_000_000_000n],
  ])('converts %s', (text, nanoseconds) => {
    expect(rfc3339ToNanoseconds(text)).toBe(nanoseconds);
  });

  it.each([['2026-01-05'], ['yesterday'], ['2026-01-05T00:00:00.1234567890Z']])(
    'rejects %s',
    (text) => {
      expect(rfc3339ToNanoseconds(text)).toBeUndefined();
    },
  );
});

describe('pickTimestamp', () => {
  it('compares fractions of different lengths', () => {
    expect(pickTimestamp('2026-01-05T00:00:00Z', '2026-01-05T00:00:00.5Z', 'latest')).toBe(
      '2026-01-05T00:00:00.5Z',
    );
    expect(pickTimestamp('2026-01-05T00:00:00Z', '2026-01-05T00:00:00.5Z', 'earliest')).toBe(
      '2026-01-05T00:00:00Z',
    );
  });

  it('keeps the defined value', () => {
    expect(pickTimestamp(undefined, '2026-01-05T00:00:00Z', 'earliest')).toBe(
      '2026-01-05T00:00:00Z',
    );
    expect(pickTimestamp('2026-01-05T00:00:00Z', undefined, 'latest')).toBe('2026-01-05T00:00:00Z');
  });
});
