import path from 'node:path';

import { parseArguments } from './export.command';

describe('weft export arguments', () => {
  it('reads the identifier and options', () => {
    expect(
      parseArguments([
        'd1',
        '--from',
        '2024-03-01T00:00:00Z',
        '--to=2024-03-02T00:00:00Z',
        '--out',
        'x.zip',
      ]),
    ).toEqual({
      dataset: 'd1',
      from: '2024-03-01T00:00:00Z',
      to: '2024-03-02T00:00:00Z',
      out: path.resolve('x.zip'),
      timeColumn: null,
    });
  });

  it('names what is wrong', () => {
    expect(parseArguments(['--from', 'a', '--to', 'b', '--out', 'x.zip'])).toBe(
      "the dataset identifier is missing: pass the persistent identifier that the dataset's landing page or GraphQL search shows",
    );
    expect(parseArguments(['d1', '--form', 'a'])).toBe(
      'unknown option --form: the options are --from, --to, --out and --time-column',
    );
    expect(parseArguments(['d1', '--from'])).toBe('--from needs a value');
    expect(
      parseArguments(['d1', '--from', 'a', '--to', 'b', '--out', '/no/such/folder/x.zip']),
    ).toBe(
      '--out /no/such/folder/x.zip: folder /no/such/folder does not exist; create it or choose another path',
    );
  });
});
