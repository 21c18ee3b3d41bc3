import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createDataSource } from '../../src/database/data-source.factory';

describe('embedded database lock', () => {
  let folder: string;
  let dataDir: string;

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'weft-lock-'));
    dataDir = path.join(folder, 'catalog');
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  const settings = () => ({
    databaseUrl: null,
    databaseCaFile: null,
    databasePasswordFile: null,
    dataDir,
  });

  it('rejects a folder another process locked', async () => {
    // The lock names this Jest worker's parent, a process that is alive, as the other holder.
    writeFileSync(`${dataDir}.lock`, `${process.ppid}\n`);

    expect(() => createDataSource(settings())).toThrow(
      `the embedded database in ${dataDir} is in use by process ${process.ppid}: stop that process first, or set WEFT_DATA_DIR to another folder`,
    );
  });

  it('takes over the lock of an ended process', async () => {
    // Process ids stay below 2^22 on Linux, so this one cannot be running.
    writeFileSync(`${dataDir}.lock`, '9999999\n');

    const dataSource = createDataSource(settings());
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await dataSource.initialize();
    await dataSource.destroy();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('releases the lock when destroyed', async () => {
    const first = createDataSource(settings());
    await first.initialize();
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await first.destroy();

    const second = createDataSource(settings());
    await second.initialize();
    const rows = await second.query<Array<{ one: number }>>('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
    await second.destroy();
  });
});
