import path from 'node:path';

import { parseArguments, ProgressPrinter } from './export.command';

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

describe('export progress', () => {
  it('redraws a bar on a terminal', () => {
    const output: string[] = [];
    const printer = new ProgressPrinter({
      stdout: () => undefined,
      stderr: (text) => output.push(text),
      stderrIsTty: true,
    });

    printer.show({ rowsWritten: 0, estimatedTotal: null });
    printer.show({ rowsWritten: 50, estimatedTotal: 200 });
    printer.show({ rowsWritten: 200, estimatedTotal: 200 });
    printer.done(200);

    expect(output).toEqual([
      `\r[${'.'.repeat(30)}] 0 rows`,
      `\r[${'#'.repeat(8)}${'.'.repeat(22)}] 50 of about 200 rows (25%)`,
      `\r[${'#'.repeat(30)}] 200 of about 200 rows (100%)`,
      '\nwrote 200 rows\n',
    ]);
  });

  it('prints lines without a terminal', () => {
    const output: string[] = [];
    const printer = new ProgressPrinter({
      stdout: () => undefined,
      stderr: (text) => output.push(text),
      stderrIsTty: false,
    });

    printer.show({ rowsWritten: 0, estimatedTotal: 200 });
    // Within a second of the last line, only the final count is printed.
    printer.show({ rowsWritten: 100, estimatedTotal: 200 });
    printer.show({ rowsWritten: 200, estimatedTotal: 200 });
    printer.done(200);

    expect(output).toEqual([
      '0 of about 200 rows (0%)\n',
      '200 of about 200 rows (100%)\n',
      'wrote 200 rows\n',
    ]);
  });
});
