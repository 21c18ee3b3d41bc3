/**
 * Writes src/graphql/schema.graphql from the code-first GraphQL types:
 * `npm run schema`. Starts the application context on an in-memory
 * embedded database, prints the sorted schema and exits.
 */
import 'reflect-metadata';

import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';

import { AppModule } from '../src/app.module';
import { JsonLogger } from '../src/common/json-logger';
import { loadConfig } from '../src/config/weft-config';

async function main(): Promise<void> {
  const config = loadConfig({ WEFT_DATA_DIR: 'memory', WEFT_HARVEST_ON_START: 'false' });
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: new JsonLogger('error'),
  });
  await app.init();
  const schema = app.get(GraphQLSchemaHost).schema;
  const text = printSchema(lexicographicSortSchema(schema));
  const target = path.resolve(__dirname, '../../src/graphql/schema.graphql');
  writeFileSync(
    target,
    `# Generated from the code by \`npm run schema\`; do not edit by hand.\n\n${text}\n`,
  );
  await app.close();
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
