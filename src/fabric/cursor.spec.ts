import { canonicalJson, decodeCursor, encodeCursor, queryFingerprint } from './cursor';

describe('cursor', () => {
  it('round-trips with its query', () => {
    const fingerprint = queryFingerprint({ dataset: 'a', fields: ['x'] });
    const text = encodeCursor(fingerprint, { offset: 3, afterTime: '2024-03-01T00:00:00Z' });

    expect(decodeCursor(text, fingerprint)).toEqual({
      offset: 3,
      afterTime: '2024-03-01T00:00:00Z',
    });
    expect(decodeCursor(null, fingerprint)).toEqual({ offset: 0 });
  });

  it('rejects a cursor of another query', () => {
    const text = encodeCursor(queryFingerprint({ a: 1 }), { offset: 1 });

    expect(() => decodeCursor(text, queryFingerprint({ a: 2 }))).toThrow(
      'the cursor belongs to a different query',
    );
  });

  it('rejects malformed cursors', () => {
    const fingerprint = queryFingerprint({});
    for (const text of [
      '%%%',
      Buffer.from('{"q":"x","o":-1}').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
    ]) {
      expect(() => decodeCursor(text, fingerprint)).toThrow(
        'is invalid: pass the endCursor of the previous page unchanged',
      );
    }
  });

  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(queryFingerprint({ b: 1, a: 2 })).toBe(queryFingerprint({ a: 2, b: 1 }));
  });
});
