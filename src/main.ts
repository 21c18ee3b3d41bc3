import 'reflect-metadata';

import { readFileSync } from 'node:fs';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { AppModule } from './app.module';
import { JsonLogger } from './common/json-logger';
import { ConfigError, loadConfig } from './config/weft-config';
import type { WeftConfig } from './config/weft-config';

/** Create the Nest application for a configuration; used by main and by the tests. */
export async function createApp(
  config: WeftConfig,
  logger = new JsonLogger(config.logLevel, config.logFormat),
  options: { shutdownHooks?: boolean } = {},
): Promise<NestExpressApplication> {
  const httpsOptions =
    config.tlsCertFile !== null && config.tlsKeyFile !== null
      ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) }
      : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bufferLogs: false,
    ...(httpsOptions === undefined ? {} : { httpsOptions }),
  });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.useBodyParser('json', { limit: '1mb' });
  // An embedding program (the demo) handles signals itself, to stop its own servers too.
  if (options.shutdownHooks !== false) {
    app.enableShutdownHooks();
  }
  return app;
}

/** Start the service from the environment's settings; exits with status 2 on invalid settings. */
export async function serve(): Promise<void> {
  let config: WeftConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const app = await createApp(config);
  await app.listen(config.httpPort, config.httpHost);
  new Logger('Weft').log({
    msg: 'weft started',
    listen: `${config.httpHost}:${config.httpPort}`,
    baseUrl: config.baseUrl,
    graphql: `${config.baseUrl}/graphql`,
    database: config.databaseUrl === null ? 'pglite' : 'postgresql',
    signIn: config.oidcIssuer === null ? 'disabled' : 'oidc',
  });
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    process.stderr.write(
      `weft failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
