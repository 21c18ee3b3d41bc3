import { InfluxHarvestError } from './influx-harvest.error';
import { bodyExcerpt, errorMessageFromBody, parseInfluxqlBody } from './influxql-response';

const context = {
  url: 'http://127.0.0.1:8086/query',
  status: 200,
  contentType: 'application/json',
};

function parse(text: string) {
  return parseInfluxqlBody(Buffer.from(text, 'utf8'), context);
}

describe('parseInfluxqlBody', () => {
  it('reads series, tags and statement errors', () => {
    const results = parse(
      JSON.stringify({
        results: [
          {
            statement_id: 0,
            series: [
              {
                name: 'cpu',
                tags: { host: 'a' },
                columns: ['time', 'value'],
                values: [['2026-01-05T00:00:00Z', 1]],
              },
            ],
          },
          { statement_id: 1, error: 'database not found: x' },
          { statement_id: 2 },
        ],
      }),
    );

    expect(results).toEqual([
      {
        statementId: 0,
        series: [
          {
            name: 'cpu',
            tags: { host: 'a' },
            columns: ['time', 'value'],
            values: [['2026-01-05T00:00:00Z', 1]],
          },
        ],
      },
      { statementId: 1, series: [], error: 'database not found: x' },
      { statementId: 2, series: [] },
    ]);
  });

  it('turns a top-level error into query-failed', () => {
    expect(() => parse('{"error":"error parsing query: found EOF"}')).toThrow(
      new InfluxHarvestError(
        'query-failed',
        'InfluxDB at http://127.0.0.1:8086/query rejected the query: error parsing query: found EOF',
      ),
    );
  });

  it.each([
    ['<html>hello</html>', 'the body is not valid JSON'],
    [
      '{"results":[{"series":[{"columns":"time"}]}]}',
      'results[0].series[0].columns is not an array of strings',
    ],
    ['{"results":{}}', 'the body has no "results" array'],
    ['[1,2]', 'the body is JSON but not an object'],
    [
      '{"results":[{"series":[{"columns":["a"],"values":[["x","y"]]}]}]}',
      'does not have one cell per column',
    ],
  ])('rejects %s', (body, reason) => {
    let caught: unknown;
    try {
      parse(body);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(InfluxHarvestError);
    expect((caught as InfluxHarvestError).code).toBe('invalid-response');
    expect((caught as InfluxHarvestError).message).toContain(reason);
    expect((caught as InfluxHarvestError).message).toContain(
      'http://127.0.0.1:8086/query returned HTTP 200 (application/json)',
    );
  });
});

describe('errorMessageFromBody', () => {
  it.each([
    ['{"error":"authorization failed"}', 'authorization failed'],
    ['{"code":"unauthorized","message":"unauthorized access"}', 'unauthorized access'],
    ['<html></html>', undefined],
  ])('reads %s', (body, message) => {
    expect(errorMessageFromBody(Buffer.from(body))).toBe(message);
  });
});

describe('bodyExcerpt', () => {
  it('shows control characters as spaces and cuts long bodies', () => {
    expect(bodyExcerpt(Buffer.from('a\r\n\tb'))).toBe('a b');
    expect(bodyExcerpt(Buffer.from('x'.repeat(200)))).toBe(`${'x'.repeat(120)}...`);
  });
});
