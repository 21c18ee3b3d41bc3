import { csvField, csvRecord } from './csv-format';

describe('csvRecord', () => {
  it('joins plain fields with commas and ends in CRLF', () => {
    expect(csvRecord(['2024-03-01T00:00:00Z', 37.5, 120, true, 'BR-01'])).toBe(
      '2024-03-01T00:00:00Z,37.5,120,true,BR-01\r\n',
    );
  });

  it('quotes fields as RFC 4180 requires', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField(' padded ')).toBe('" padded "');
  });

  it('tells null from the empty string', () => {
    expect(csvRecord([null, '', 'x'])).toBe(',"",x\r\n');
  });

  it('writes JSON values as quoted JSON text', () => {
    expect(csvField({ medium: 'LB' })).toBe('"{""medium"":""LB""}"');
    expect(csvField([1, 2])).toBe('"[1,2]"');
  });
});
