import fc from 'fast-check';

import { scanJson } from './json-scanner';
import type { JsonLeafKind, JsonScanOptions } from './json-scanner';

const STRICT: JsonScanOptions = { maxDepth: 64, maxKeyLength: 1_000, allowNonFinite: false };

function leavesOf(
  text: string,
  options: JsonScanOptions = STRICT,
): Array<[string, JsonLeafKind, string]> {
  const leaves: Array<[string, JsonLeafKind, string]> = [];
  scanJson(text, options, { leaf: (path, kind, value) => leaves.push([path, kind, value]) });
  return leaves;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('scanJson', () => {
  it('keeps the lexical form of numbers', () => {
    expect(leavesOf('{"a":3.0,"b":3,"c":-1e3,"d":0.000,"e":-0}')).toEqual([
      ['a', 'float', '3.0'],
      ['b', 'integer', '3'],
      ['c', 'float', '-1e3'],
      ['d', 'float', '0.000'],
      ['e', 'integer', '-0'],
    ]);
  });

  it('reports dotted paths and array markers', () => {
    expect(leavesOf('{"ENERGY":{"Total":[2.813,0.254],"Voltage":235},"ok":true,"n":null}')).toEqual(
      [
        ['ENERGY.Total[]', 'float', '2.813'],
        ['ENERGY.Total[]', 'float', '0.254'],
        ['ENERGY.Voltage', 'integer', '235'],
        ['ok', 'boolean', 'true'],
        ['n', 'null', 'null'],
      ],
    );
  });

  it('reports root arrays and nested arrays', () => {
    expect(leavesOf('[{"a":[[1]]},"x"]')).toEqual([
      ['[].a[][]', 'integer', '1'],
      ['[]', 'string', 'x'],
    ]);
  });

  it('reports empty containers', () => {
    expect(leavesOf('{"ble":{},"scenes":[]}')).toEqual([
      ['ble', 'container', '{}'],
      ['scenes', 'container', '[]'],
    ]);
  });

  it('decodes escaped strings and escapes path keys', () => {
    expect(leavesOf('{"a.b":"x\\u00e9\\n","$":"y","k[]":1}')).toEqual([
      ['a\\.b', 'string', 'xé\n'],
      ['\\$', 'string', 'y'],
      ['k\\[\\]', 'integer', '1'],
    ]);
  });

  it('cuts long keys in paths', () => {
    const options = { ...STRICT, maxKeyLength: 4 };
    expect(leavesOf('{"abcdefgh":1}', options)).toEqual([['abcd…', 'integer', '1']]);
  });

  it('mutes containers below the depth limit', () => {
    const options = { ...STRICT, maxDepth: 2 };
    const text = '{"a":{"b":{"c":1,"d":[2]}},"e":3}';

    expect(leavesOf(text, options)).toEqual([
      ['a.b', 'container', ''],
      ['e', 'integer', '3'],
    ]);
    expect(scanJson(text, options).depthLimitHits).toBe(1);
  });

  it('accepts very deep nesting without recursion', () => {
    const depth = 200_000;
    const text = '['.repeat(depth) + ']'.repeat(depth);

    const result = scanJson(text, { ...STRICT, maxDepth: 16 });

    expect(result.valid).toBe(true);
    expect(result.depthLimitHits).toBe(1);
  });

  it('accepts NaN and Infinity only when allowed', () => {
    const text = '{"t":NaN,"u":-Infinity,"v":Infinity}';

    expect(scanJson(text, STRICT).valid).toBe(false);
    const lenient = scanJson(text, { ...STRICT, allowNonFinite: true });
    expect(lenient.valid).toBe(true);
    expect(lenient.nonFinite).toBe(true);
    expect(leavesOf(text, { ...STRICT, allowNonFinite: true })).toEqual([
      ['t', 'non-finite', 'NaN'],
      ['u', 'non-finite', '-Infinity'],
      ['v', 'non-finite', 'Infinity'],
    ]);
  });

  it.each([
    ['', false],
    [' ', false],
    ['{', false],
    ['{"a":1,}', false],
    ['[1,]', false],
    ['01', false],
    ['1.', false],
    ['.5', false],
    ['+1', false],
    ['"\t"', false],
    ['"\\x"', false],
    ['"\\u12"', false],
    ['tru', false],
    ['truex', false],
    ['1 2', false],
    ['{"a" 1}', false],
    ['{1:2}', false],
    ['nan', false],
    [' \n{"a" : [ 1 , 2 ] }\r\n', true],
    ['"\u2028"', true],
    ['-0.0e-0', true],
  ])('validates %j as %s', (text, valid) => {
    expect(scanJson(text, STRICT).valid).toBe(valid);
    expect(parses(text)).toBe(valid);
  });

  it('agrees with JSON.parse on generated JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(scanJson(text, STRICT).valid).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(scanJson(text, STRICT).valid).toBe(parses(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees with JSON.parse on damaged JSON', () => {
    const damaged = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '\\', '0', 'e', '.', '-'),
      )
      .map(([text, position, insert]) => {
        const at = text.length === 0 ? 0 : position % text.length;
        return text.slice(0, at) + insert + text.slice(at + 1);
      });

    fc.assert(
      fc.property(damaged, (text) => {
        expect(scanJson(text, STRICT).valid).toBe(parses(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reports as many scalar leaves as the parsed document has', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        const scalars = leavesOf(text).filter(([, kind]) => kind !== 'container');
        expect(scalars).toHaveLength(countScalars(value));
      }),
      { numRuns: 500 },
    );
  });
});

function countScalars(value: unknown): number {
  if (Array.isArray(value)) {
    return value.reduce((sum: number, item) => sum + countScalars(item), 0);
  }
  if (value !== null && typeof value === 'object') {
    return Object.values(value).reduce((sum: number, item) => sum + countScalars(item), 0);
  }
  return 1;
}
