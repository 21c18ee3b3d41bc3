import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, writeSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';

import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { ZipFile } from 'yazl';

import type { CellValue, FrameColumn, PushedDownQuery } from '../fabric/frame';
import { csvRecord } from './csv-format';
import type { ExportPage } from './dataset-pages';
import { parquetColumnData, parquetSchema } from './parquet-columns';
import { buildCrateMetadata, METADATA_FILE } from './ro-crate-metadata';
import type { CrateDescription, CrateFile, CrateQuery } from './ro-crate-metadata';

/** The data files of an export with its row count and provenance, once every page is written. */
export interface WrittenData {
  files: CrateFile[];
  rowCount: number;
  queries: CrateQuery[];
}

/** The finished ZIP file. */
export interface WrittenCrate {
  path: string;
  sha256: string;
  size: number;
}

export const MANIFEST_FILE = 'manifest-sha256.txt';

/**
 * Write the pages of an export to a CSV and a Parquet file in `folder`,
 * one page at a time. `onRows` is called after each page with the rows
 * written so far.
 */
export async function writeDataFiles(
  pages: AsyncIterable<ExportPage>,
  folder: string,
  baseName: string,
  onRows: (rowsWritten: number) => void,
): Promise<WrittenData> {
  const csvPath = path.join(folder, `${baseName}.csv`);
  const parquetPath = path.join(folder, `${baseName}.parquet`);
  const csv = createWriteStream(csvPath);
  const parquetFile = new ParquetFileWriter(parquetPath);
  let parquet: ParquetWriter | null = null;
  let columns: FrameColumn[] = [];
  let rowCount = 0;
  const queries = new Map<string, CrateQuery>();

  try {
    for await (const page of pages) {
      if (parquet === null) {
        columns = page.columns;
        parquet = new ParquetWriter({
          writer: parquetFile,
          schema: parquetSchema(columns),
          createdBy: 'Weft',
        });
        await writeText(csv, csvRecord(columns.map((column) => column.name)));
      }

      await writeCsvRows(csv, page.rows);
      if (page.rows.length > 0) {
        await parquet.write({
          columnData: parquetColumnData(columns, page.rows),
          rowGroupSize: page.rows.length,
        });
      }
      rowCount += page.rows.length;
      collectQueries(queries, page.pushedDown);
      onRows(rowCount);
    }
    if (parquet === null) {
      throw new Error('the data fabric returned no page');
    }
    await parquet.finish();
  } finally {
    parquetFile.close();
    csv.end();
    await once(csv, 'close');
  }

  const files = [
    await describeFile(csvPath, {
      path: `data/${baseName}.csv`,
      name: `${baseName}.csv`,
      description: `${rowCount} rows as CSV (RFC 4180, header row, times in ISO 8601 UTC).`,
      encodingFormat: 'text/csv',
    }),
    await describeFile(parquetPath, {
      path: `data/${baseName}.parquet`,
      name: `${baseName}.parquet`,
      description: `${rowCount} rows as Apache Parquet (times as UTC timestamps in nanoseconds).`,
      encodingFormat: 'application/vnd.apache.parquet',
    }),
  ];
  return { files, rowCount, queries: [...queries.values()] };
}

/**
 * Pack the data files, the checksum manifest and ro-crate-metadata.json
 * into one ZIP at `output`, with the crate root at the top of the archive
 * (RO-Crate 1.2, section "RO-Crate Structure").
 */
export async function packCrate(
  folder: string,
  output: string,
  description: Omit<CrateDescription, 'manifest'>,
): Promise<WrittenCrate> {
  const manifestText = description.files.map((file) => `${file.sha256}  ${file.path}\n`).join('');
  const manifestBytes = Buffer.from(manifestText, 'utf8');
  const manifest: CrateFile = {
    path: MANIFEST_FILE,
    name: MANIFEST_FILE,
    description: 'SHA-256 checksum of each data file, in the format sha256sum -c reads.',
    encodingFormat: 'text/plain',
    contentSize: manifestBytes.length,
    sha256: createHash('sha256').update(manifestBytes).digest('hex'),
  };
  const metadata = buildCrateMetadata({ ...description, manifest });

  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`, 'utf8'), METADATA_FILE);
  zip.addBuffer(manifestBytes, MANIFEST_FILE);
  for (const file of description.files) {
    zip.addFile(path.join(folder, path.basename(file.path)), file.path);
  }
  const out = createWriteStream(output);
  zip.outputStream.pipe(out);
  zip.end();
  await once(out, 'close');

  return { path: output, ...(await hashFile(output)) };
}

/**
 * A Parquet writer that sends its buffer to a file after each row group
 * (ParquetWriter calls flush then) and at the end, so it keeps at most one
 * page of encoded data in memory.
 */
class ParquetFileWriter extends ByteWriter {
  private readonly fd: number;

  constructor(file: string) {
    super();
    this.fd = openSync(file, 'w');
  }

  flush(): void {
    writeSync(this.fd, new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Create a fresh working folder for one export's data files. */
export async function makeWorkFolder(parent: string): Promise<string> {
  return mkdtemp(path.join(parent, '.work-'));
}

export async function removeFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}

/** SHA-256 and size of a file, read as a stream. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
  }
  const { size } = await stat(file);
  return { sha256: hash.digest('hex'), size };
}

async function describeFile(
  file: string,
  facts: Omit<CrateFile, 'contentSize' | 'sha256'>,
): Promise<CrateFile> {
  const { sha256, size } = await hashFile(file);
  return { ...facts, contentSize: size, sha256 };
}

async function writeCsvRows(csv: WriteStream, rows: CellValue[][]): Promise<void> {
  let chunk = '';
  for (const row of rows) {
    chunk += csvRecord(row);
    if (chunk.length > 65_536) {
      await writeText(csv, chunk);
      chunk = '';
    }
  }
  if (chunk !== '') {
    await writeText(csv, chunk);
  }
}

/** Write and wait for the stream to drain when its buffer is full, so memory stays bounded. */
async function writeText(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) {
    await once(stream, 'drain');
  }
}

/** Merge the statements of a page into the list: the same statement on later pages counts as another run. */
function collectQueries(queries: Map<string, CrateQuery>, pushedDown: PushedDownQuery[]): void {
  for (const query of pushedDown) {
    const key = `${query.sourcePid}\n${query.language}\n${query.statement}`;
    const known = queries.get(key);
    if (known === undefined) {
      queries.set(key, {
        sourcePid: query.sourcePid,
        language: query.language,
        statement: query.statement,
        executions: 1,
        rowCount: query.rowCount,
      });
    } else {
      known.executions += 1;
      known.rowCount += query.rowCount;
    }
  }
}
