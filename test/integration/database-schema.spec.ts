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
