import { fromNanoseconds, isDateOnly, toNanoseconds } from './time-bounds';

describe('time bounds', () => {
  it('keeps every fractional digit', () => {
    expect(toNanoseconds('2024-03-01T00:00:00.123456789Z', 'start')).toBe(
      1_709_251_200_123_456_789n,
    );
    expect(fromNanoseconds(1_709_251_200_123_456_789n)).toBe('2024-03-01T00:00:00.123456789Z');
  });

  it('reads offsets and PostgreSQL spellings', () => {
    expect(toNanoseconds('2024-03-01 01:30:00+01:30', 'start')).toBe(1_709_251_200_000_000_000n);
    expect(toNanoseconds('2024-03-01T00:00:00', 'start')).toBe(1_709_251_200_000_000_000n);
    expect(toNanoseconds('2024-03-01', 'start')).toBe(1_709_251_200_000_000_000n);
  });

  it('writes whole seconds without a fraction', () => {
    expect(fromNanoseconds(1_709_251_200_000_000_000n)).toBe('2024-03-01T00:00:00Z');
    expect(fromNanoseconds(1_709_251_200_000_000_001n)).toBe('2024-03-01T00:00:00.000000001Z');
    expect(fromNanoseconds(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
  });

  it('rejects text that is not a time', () => {
    expect(() => toNanoseconds('now()', 'start')).toThrow(
      'start "now()" is not a timestamp: give RFC 3339 (2024-03-01T10:00:00Z)',
    );
  });

  it('tells dates from timestamps', () => {
    expect(isDateOnly('2024-03-01')).toBe(true);
    expect(isDateOnly('2024-03-01T00:00:00Z')).toBe(false);
  });
});
