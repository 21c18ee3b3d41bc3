import { JsonLogger, redact, stripCredentials } from './json-logger';

describe('JsonLogger', () => {
  it('writes one JSON object with context and ids', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', 'json', (line) => lines.push(line));

    logger.log({ msg: 'harvest run ended', sourceId: 'site-broker', created: 3 }, 'HarvestService');

    const record = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(record.level).toBe('info');
    expect(record.context).toBe('HarvestService');
    expect(record.msg).toBe('harvest run ended');
    expect(record.sourceId).toBe('site-broker');
    expect(record.created).toBe(3);
  });

  it('redacts secrets by key and in URLs', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('debug', 'json', (line) => lines.push(line));

    logger.warn({
      msg: 'connect failed to mqtt://harvester:s3cret@broker:1883',
      password: 's3cret',
      nested: { accessToken: 'abc' },
    });

    expect(lines[0]).not.toContain('s3cret');
    expect(lines[0]).not.toContain('abc');
    expect(lines[0]).toContain('mqtt://[redacted]@broker:1883');
  });

  it('drops messages below the minimum level', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('warn', 'json', (line) => lines.push(line));

    logger.log('started');
    logger.debug('details');

    expect(lines).toEqual([]);
  });

  it('redact keeps other values', () => {
    expect(redact({ sourceId: 'a', token: 't', list: [{ secret: 's', ok: 1 }] })).toEqual({
      sourceId: 'a',
      token: '[redacted]',
      list: [{ secret: '[redacted]', ok: 1 }],
    });
  });

  it('stripCredentials leaves URLs without userinfo alone', () => {
    expect(stripCredentials('see https://example.org/x')).toBe('see https://example.org/x');
  });
});
