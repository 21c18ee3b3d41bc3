import type { LoggerService } from '@nestjs/common';

import { goDurationToSeconds } from './influxql-schema-reader';
import { supportsCardinalityStatements } from './influxdb-v1.harvester';
import { InfluxHarvestError } from './influx-harvest.error';
import { HarvestRunRecord, isSourceLevelError, mapWithConcurrency } from './influx-harvest-run';

describe('mapWithConcurrency', () => {
  it('keeps the order of the items', async () => {
    const delays = [30, 5, 20, 1];

    const results = await mapWithConcurrency(delays, 2, async (delay) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return delay * 2;
    });

    expect(results).toEqual([60, 10, 40, 2]);
  });

  it('starts no item after a failure', async () => {
    const started: number[] = [];

    const run = mapWithConcurrency([1, 2, 3, 4], 1, async (item) => {
      started.push(item);
      if (item === 2) {
        throw new Error('item 2 failed');
      }
    });

    await expect(run).rejects.toThrow('item 2 failed');
    expect(started).toEqual([1, 2]);
  });

  it('returns nothing for no items', async () => {
    await expect(mapWithConcurrency([], 4, async () => 1)).resolves.toEqual([]);
  });
});

describe('isSourceLevelError', () => {
  it.each([
    ['network', true],
    ['timeout', true],
    ['aborted', true],
    ['auth-failed', true],
    ['config', true],
    ['http-status', false],
    ['invalid-response', false],
    ['response-too-large', false],
    ['query-failed', false],
  ] as const)('classifies %s', (code, sourceLevel) => {
    expect(isSourceLevelError(new InfluxHarvestError(code, 'x'))).toBe(sourceLevel);
  });

  it('leaves other errors to the measurement', () => {
    expect(isSourceLevelError(new Error('x'))).toBe(false);
  });
});

describe('goDurationToSeconds', () => {
  it.each([
    ['0s', 0],
    ['168h0m0s', 604_800],
    ['1h30m', 5_400],
    ['87360h0m0s', 314_496_000],
    ['1.5s', 1],
    ['forever', undefined],
    ['', undefined],
  ])('converts %j', (text, seconds) => {
    expect(goDurationToSeconds(text)).toBe(seconds);
  });
});

describe('supportsCardinalityStatements', () => {
  it.each([
    ['1.3.9', false],
    ['1.4.0', true],
    ['1.6.7~rc0', true],
    ['v2.7.11', true],
    ['3.0.1', true],
    [undefined, true],
    ['unknown', true],
  ])('decides for %s', (version, supported) => {
    expect(supportsCardinalityStatements(version)).toBe(supported);
  });
});

describe('HarvestRunRecord', () => {
  function recordingLogger(): { logger: LoggerService; lines: string[] } {
    const lines: string[] = [];
    const logger: LoggerService = {
      log: (message: string) => lines.push(`log ${message}`),
      warn: (message: string) => lines.push(`warn ${message}`),
      error: (message: string) => lines.push(`error ${message}`),
    };
    return { logger, lines };
  }

  it('logs issues with the source id', () => {
    const { logger, lines } = recordingLogger();
    const run = new HarvestRunRecord(logger, 'site-influx');

    run.warn('db/cpu', 'SHOW FIELD KEYS failed: timeout');
    run.fail('db/mem', 'invalid body');

    expect(run.complete).toBe(false);
    expect(run.issues).toEqual([
      { severity: 'warning', subject: 'db/cpu', message: 'SHOW FIELD KEYS failed: timeout' },
      { severity: 'error', subject: 'db/mem', message: 'invalid body' },
    ]);
    expect(lines).toEqual([
      'warn source site-influx: warning for db/cpu: SHOW FIELD KEYS failed: timeout',
      'warn source site-influx: error for db/mem: invalid body',
    ]);
  });

  it('counts issues past the logging limit', () => {
    const { logger, lines } = recordingLogger();
    const run = new HarvestRunRecord(logger, 'site-influx');

    for (let index = 0; index < 25; index += 1) {
      run.fail(`db/m${index}`, 'invalid body');
    }
    const snapshot = run.finish({
      sourceKind: 'influxdb-v1',
      harvester: 'test/1',
      startedAt: '2026-01-05T00:00:00.000Z',
      sourceDetails: {},
      datasets: [],
    });

    expect(snapshot.issues).toHaveLength(25);
    expect(snapshot.complete).toBe(false);
    expect(lines).toHaveLength(22);
    expect(lines[20]).toBe('warn source site-influx: 5 more issues were recorded but not logged');
    expect(lines[21]).toBe('log harvest of source site-influx ended: 0 datasets, 25 issues');
  });

  it('stays complete with warnings only', () => {
    const { logger } = recordingLogger();
    const run = new HarvestRunRecord(logger, 'site-influx');

    run.warn('db/cpu', 'x');

    expect(run.complete).toBe(true);
  });
});
