import { qualifiedMeasurement, quoteIdentifier, quoteStringLiteral } from './influxql-quote';

describe('quoteIdentifier', () => {
  it.each([
    ['cpu', '"cpu"'],
    ['c pu', '"c pu"'],
    ['c,pu', '"c,pu"'],
    ['"cpu"', '"\\"cpu\\""'],
    ['ho\\st', '"ho\\\\st"'],
    ["it's", '"it\'s"'],
    ['line\nbreak', '"line\\nbreak"'],
    ['°C', '"°C"'],
    ['', '""'],
  ])('quotes %j as %s', (name, quoted) => {
    expect(quoteIdentifier(name)).toBe(quoted);
  });
});

describe('quoteStringLiteral', () => {
  it.each([
    ['BR-01', "'BR-01'"],
    ["it's", "'it\\'s'"],
    ['a\\b', "'a\\\\b'"],
    ['say "hi"', '\'say "hi"\''],
    ['two\nlines', "'two\\nlines'"],
  ])('quotes %j as %s', (value, quoted) => {
    expect(quoteStringLiteral(value)).toBe(quoted);
  });
});

describe('qualifiedMeasurement', () => {
  it('quotes each part', () => {
    expect(qualifiedMeasurement('my db', 'autogen', 'c"pu')).toBe('"my db"."autogen"."c\\"pu"');
  });
});
