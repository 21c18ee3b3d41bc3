import type { DataSource } from 'typeorm';

import { loadConfig } from '../../src/config/weft-config';
import { WeftConfigService } from '../../src/config/weft-config.service';
import { createDataSource } from '../../src/database/data-source.factory';
import { FabricQueryRecorder } from '../../src/fabric/provenance/fabric-query-recorder.service';
import { IdentifiersService } from '../../src/identifiers/identifiers.service';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';

// The recorder mints the activity identifier and inserts the record in one
// statement. These tests check, on PostgreSQL and on PGlite, that both rows
// are committed when record() returns, that every column keeps its value,
// and that a local id already taken is replaced by a fresh one.

const FACTS = {
  operation: 'observations' as const,
  status: 'succeeded' as const,
  requestedBy: 'alice',
  startedAt: new Date('2026-01-07T10:12:03.511Z'),
  endedAt: new Date('2026-01-07T10:12:03.530Z'),
  input: { dataset: 'https://w3id.org/site/b2c3d4f5g', fields: ['temperature_c'], limit: 96 },
  datasets: ['https://w3id.org/site/b2c3d4f5g'],
  sources: ['https://w3id.org/site/c3d4f5g6h'],
  pushedDown: [
    {
      sourcePid: 'https://w3id.org/site/c3d4f5g6h',
      language: 'InfluxQL' as const,
      statement: 'SELECT mean("temperature_c") FROM "bioreactor" WHERE time >= $from',
      params: { from: '2026-01-05T00:00:00.000Z' },
      rowCount: 96,
    },
  ],
  rowCount: 96,
  resultChecksum: 'f'.repeat(64),
  error: null,
};

function identifiersService(): IdentifiersService {
  const config = loadConfig({
    WEFT_BASE_URL: 'http://weft.test',
    WEFT_HARVEST_ON_START: 'false',
  });
  return new IdentifiersService(new WeftConfigService(config));
}

function describeRecorder(
  name: string,
  open: () => Promise<DataSource>,
  close: () => Promise<void>,
) {
  describe(`fabric query recorder on ${name}`, () => {
    let dataSource: DataSource;
    let identifiers: IdentifiersService;
    let recorder: FabricQueryRecorder;

    beforeAll(async () => {
      dataSource = await open();
      await dataSource.runMigrations();
      identifiers = identifiersService();
      recorder = new FabricQueryRecorder(dataSource, identifiers);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await close();
    });

    it('record is stored with its identifier', async () => {
      const saved = await recorder.record(FACTS, 'subject-1');
      const stored = await recorder.byPid(saved.pid);
      const registry = await dataSource.query<
        Array<{ local_id: string; entity_type: string; entity_id: string }>
      >('SELECT local_id, entity_type, entity_id FROM identifier WHERE entity_id = $1', [saved.id]);

      expect(stored).not.toBeNull();
      expect(stored!.id).toBe(saved.id);
      expect(stored!.operation).toBe('observations');
      expect(stored!.status).toBe('succeeded');
      expect(stored!.requestedBy).toBe('alice');
      expect(stored!.requesterSubject).toBe('subject-1');
      expect(stored!.startedAt.toISOString()).toBe('2026-01-07T10:12:03.511Z');
      expect(stored!.endedAt.toISOString()).toBe('2026-01-07T10:12:03.530Z');
      expect(stored!.input).toEqual(FACTS.input);
      expect(stored!.datasets).toEqual(['https://w3id.org/site/b2c3d4f5g']);
      expect(stored!.sources).toEqual(['https://w3id.org/site/c3d4f5g6h']);
      expect(stored!.pushedDown).toEqual(FACTS.pushedDown);
      expect(stored!.rowCount).toBe(96);
      expect(stored!.resultChecksum).toBe('f'.repeat(64));
      expect(stored!.error).toBeNull();
      expect(stored!.prov).toEqual(saved.prov);
      expect((stored!.prov as Record<string, unknown>)['@id']).toBe(saved.pid);
      expect(registry).toHaveLength(1);
      expect(identifiers.toPid(registry[0].local_id)).toBe(saved.pid);
      expect(registry[0].entity_type).toBe('activity');
    });

    it('failed query keeps its error', async () => {
      const saved = await recorder.record(
        { ...FACTS, status: 'failed', rowCount: 0, resultChecksum: null, error: 'timed out' },
        null,
      );
      const stored = await recorder.byPid(saved.pid);

      expect(stored!.status).toBe('failed');
      expect(stored!.requesterSubject).toBeNull();
      expect(stored!.resultChecksum).toBeNull();
      expect(stored!.error).toBe('timed out');
    });

    it('commit setting ends with the statement', async () => {
      // The test PostgreSQL server may run with synchronous_commit off, so the
      // setting after a record is compared with the one before it. PGlite has
      // one connection with the setting on, so there a leaked setting shows.
      const show = 'SHOW synchronous_commit';
      const before = await dataSource.query<Array<{ synchronous_commit: string }>>(show);
      await recorder.record(FACTS, null);
      const after = await dataSource.query<Array<{ synchronous_commit: string }>>(show);

      expect(after[0].synchronous_commit).toBe(before[0].synchronous_commit);
    });

    it('taken local id is drawn again', async () => {
      const first = await recorder.record(FACTS, null);
      const takenLocalId = first.pid.slice(first.pid.lastIndexOf('/') + 1);
      const freshLocalId = identifiers.randomLocalId();
      // Only the random draw is replaced, so the second record meets a real collision in the registry.
      const draw = jest
        .spyOn(identifiers, 'randomLocalId')
        .mockReturnValueOnce(takenLocalId)
        .mockReturnValueOnce(freshLocalId);

      const second = await recorder.record(FACTS, null);
      draw.mockRestore();
      const rows = await dataSource.query<Array<{ count: string }>>(
        'SELECT count(*)::text AS count FROM fabric_query WHERE id = $1',
        [second.id],
      );

      expect(second.pid).toBe(identifiers.toPid(freshLocalId));
      expect((await recorder.byPid(first.pid))!.id).toBe(first.id);
      expect(rows[0].count).toBe('1');
    });
  });
}

let database: TestDatabase | undefined;

describeRecorder(
  'PostgreSQL',
  async () => {
    database = await createTestDatabase();
    const dataSource = createDataSource({
      databaseUrl: database.url,
      databaseCaFile: null,
      databasePasswordFile: null,
      dataDir: null,
    });
    return dataSource.initialize();
  },
  async () => {
    await database?.drop();
  },
);

describeRecorder(
  'PGlite',
  async () => {
    const dataSource = createDataSource({
      databaseUrl: null,
      databaseCaFile: null,
      databasePasswordFile: null,
      dataDir: null,
    });
    return dataSource.initialize();
  },
  async () => {},
);
