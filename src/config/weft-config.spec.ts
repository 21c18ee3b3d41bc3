import { ConfigError, loadConfig } from './weft-config';

describe('loadConfig', () => {
  it('defaults to the embedded database and loopback', () => {
    const config = loadConfig({});

    expect(config.databaseUrl).toBeNull();
    expect(config.httpHost).toBe('127.0.0.1');
    expect(config.httpPort).toBe(8080);
    expect(config.baseUrl).toBe('http://localhost:8080');
    expect(config.pidBase).toBe('http://localhost:8080/id/');
    expect(config.defaultAccessLevel).toBe('site');
    expect(config.oidcIssuer).toBeNull();
  });

  it('lists every invalid setting with its fix', () => {
    let caught: unknown;
    try {
      loadConfig({
        WEFT_HTTP_PORT: 'eighty',
        WEFT_DEFAULT_ACCESS_LEVEL: 'everyone',
        WEFT_PID_BASE: 'https://w3id.org/site',
        WEFT_DATABASE_URL: 'postgres://weft:hunter2@db:5432/weft',
        WEFT_LOG_LEVL: 'debug',
      });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toEqual([
      'WEFT_HTTP_PORT="eighty" is invalid: expected an integer from 0 to 65535',
      'WEFT_PID_BASE="https://w3id.org/site" is invalid: expected an http(s) URL or ark: base ending in "/", "=" or ":" (for example https://w3id.org/my-site/)',
      'WEFT_DATABASE_URL contains a password: move it to a file named by WEFT_DATABASE_PASSWORD_FILE',
      'WEFT_DEFAULT_ACCESS_LEVEL="everyone" is invalid: expected one of public, site, restricted',
      'WEFT_LOG_LEVL is not a Weft setting: remove it or check its spelling (see docs/configuration.md)',
    ]);
  });

  it('never echoes a password in its errors', () => {
    expect(() => loadConfig({ WEFT_DATABASE_URL: 'postgres://weft:hunter2@db:5432/weft' })).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('hunter2') as unknown,
      }) as Error,
    );
  });

  it('accepts an ARK base', () => {
    const config = loadConfig({ WEFT_PID_BASE: 'ark:/99999/fk4' + '/' });

    expect(config.pidBase).toBe('ark:/99999/fk4/');
  });
});
