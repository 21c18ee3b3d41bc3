import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createDataSource } from '../../src/database/data-source.factory';
import { MIGRATIONS } from '../../src/database/migrations';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';

// The schema comes only from migrations. These tests fail when an entity
// changes without a migration, and when a migration's down does not undo it.
describe('database schema', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('migrations match the entities on PostgreSQL', async () => {
    const dataSource = createDataSource({
      databaseUrl: database.url,
      databaseCaFile: null,
      databasePasswordFile: null,
      dataDir: null,
    });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toEqual(
        MIGRATIONS.map((migration) => migration.name),
      );
      expect(applied[0]?.name).toBe('InitialCatalog1764892800000');

      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('every migration reverts and reapplies', async () => {
    const dataSource = createDataSource({
      databaseUrl: database.url,
      databaseCaFile: null,
      databasePasswordFile: null,
      dataDir: null,
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      for (let index = 0; index < MIGRATIONS.length; index++) {
        await dataSource.undoLastMigration();
      }
      const tables = await dataSource.query<Array<{ table_name: string }>>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'weft_migrations' ORDER BY 1",
      );
      expect(tables).toEqual([]);

      const reapplied = await dataSource.runMigrations();
      expect(reapplied).toHaveLength(MIGRATIONS.length);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('database password file', () => {
  let database: TestDatabase;
  let directory: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    directory = mkdtempSync(path.join(tmpdir(), 'weft-password-'));
  });

  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await database.drop();
  });

  /** Builds a data source whose password comes from a file containing `password` and a newline. */
  function connectWithFile(password: string) {
    const url = new URL(database.url);
    const file = path.join(directory, `password-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    url.password = '';
    return createDataSource({
      databaseUrl: url.toString(),
      databaseCaFile: null,
      databasePasswordFile: file,
      dataDir: null,
    });
  }

  it('signs in with the password from the file', async () => {
    const dataSource = connectWithFile(decodeURIComponent(new URL(database.url).password));
    await dataSource.initialize();
    try {
      const rows = await dataSource.query<Array<{ name: string }>>(
        'SELECT current_database() AS name',
      );
      expect(rows).toEqual([{ name: new URL(database.url).pathname.slice(1) }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('fails with a wrong password in the file', async () => {
    const dataSource = connectWithFile('not-the-password');
    await expect(dataSource.initialize()).rejects.toThrow(/password authentication failed/);
  });
});

describe('embedded database', () => {
  it('migrations match the entities on PGlite', async () => {
    const dataSource = createDataSource({
      databaseUrl: null,
      databaseCaFile: null,
      databasePasswordFile: null,
      dataDir: null,
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);

      const rows = await dataSource.query<Array<{ matches: boolean }>>(
        "SELECT to_tsvector('simple', 'kitchen temperature') @@ to_tsquery('simple', 'kitch:*') AS matches",
      );
      expect(rows).toEqual([{ matches: true }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
