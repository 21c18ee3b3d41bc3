import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';

import type { WeftConfig } from '../config/weft-config';
import { lockDataDir } from './data-dir-lock';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type DatabaseSettings = Pick<
  WeftConfig,
  'databaseUrl' | 'databaseCaFile' | 'databasePasswordFile' | 'dataDir'
>;

/**
 * Build the TypeORM data source: PostgreSQL when a URL is configured, else
 * the embedded PGlite database. The schema comes only from the migrations;
 * `synchronize` stays off so a changed entity can never alter tables silently.
 */
export function createDataSource(settings: DatabaseSettings): DataSource {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'weft_migrations',
    uuidExtension: 'pgcrypto' as const,
    // gen_random_uuid() is built into PostgreSQL 13 and later, and PGlite ships no extension files.
    installExtensions: false,
    synchronize: false,
    logging: false,
  };

  if (settings.databaseUrl !== null) {
    const password =
      settings.databasePasswordFile === null
        ? undefined
        : readFileSync(settings.databasePasswordFile, 'utf8').replace(/\r?\n$/, '');
    const ssl =
      settings.databaseCaFile === null
        ? undefined
        : { ca: readFileSync(settings.databaseCaFile, 'utf8'), rejectUnauthorized: true };
    const options: DataSourceOptions = {
      ...common,
      // TypeORM takes the password from `url` even when it is empty there, so with a password
      // file the URL is split into its parts and the file's password is passed on its own.
      ...(password === undefined
        ? { url: settings.databaseUrl }
        : { ...connectionParts(settings.databaseUrl), password }),
      ...(ssl === undefined ? {} : { ssl }),
      extra: { max: 10, application_name: 'weft' },
    };
    return new DataSource(options);
  }

  if (settings.dataDir === null) {
    return new DataSource({ ...common, driver: new PGliteDriver({}).driver });
  }
  mkdirSync(path.dirname(settings.dataDir), { recursive: true });
  const release = lockDataDir(settings.dataDir);
  const dataSource = new DataSource({
    ...common,
    driver: new PGliteDriver({ dataDir: settings.dataDir }).driver,
  });
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    try {
      await destroy();
    } finally {
      release();
    }
  };
  return dataSource;
}

/**
 * Splits a postgres:// URL into the connection options TypeORM takes one by
 * one. Settings validation has already rejected a URL with a password.
 */
function connectionParts(url: string): {
  host: string;
  port: number;
  username: string;
  database: string;
} {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    username: decodeURIComponent(parsed.username),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}
