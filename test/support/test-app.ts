import type { NestExpressApplication } from '@nestjs/platform-express';

import { loadConfig } from '../../src/config/weft-config';
import type { WeftConfig } from '../../src/config/weft-config';
import { createApp } from '../../src/main';
import { JsonLogger } from '../../src/common/json-logger';
import { createTestDatabase } from './test-database';
import type { TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  config: WeftConfig;
  database: TestDatabase;
  /** Log lines the app wrote, parsed, for assertions on logging. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Start the real Weft application on a fresh PostgreSQL database with the
 * migrations applied. `env` overrides settings as WEFT_* variables would.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    WEFT_HTTP_PORT: '0',
    WEFT_BASE_URL: 'http://weft.test',
    WEFT_HARVEST_ON_START: 'false',
    WEFT_LOG_LEVEL: 'debug',
    ...env,
    WEFT_DATABASE_URL: database.url,
    WEFT_ALLOW_PASSWORD_IN_URL: 'true',
  });
  const logs: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger('debug', 'json', (line) =>
    logs.push(JSON.parse(line) as Record<string, unknown>),
  );
  const app = await createApp(config, logger);
  await app.init();
  return {
    app,
    config,
    database,
    logs,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
