import path from 'node:path';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { mayReadData, mayReadDataset } from '../auth/dataset-access';
import { actorName } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import { CatalogService } from '../catalog/catalog.service';
import { WeftConfigService } from '../config/weft-config.service';
import { FabricCatalog } from '../fabric/catalog/fabric-catalog.service';
import type { QueryTarget } from '../fabric/catalog/query-target';
import { FabricError } from '../fabric/fabric.error';
import { IdentifiersService } from '../identifiers/identifiers.service';
import { LicenceEntity } from '../licences/licence.entity';
import { makeWorkFolder, packCrate, removeFolder, writeDataFiles } from './crate-writer';
import type { WrittenCrate } from './crate-writer';
import { DatasetPages, tableTimeColumn } from './dataset-pages';
import { ExportError } from './export.error';
import { parseExportWindow } from './export-window';
import type { ExportWindow } from './export-window';
import type { CrateDescription } from './ro-crate-metadata';

/** An export request as the caller gives it, before it is checked. */
export interface ExportRequest {
  /** The dataset's persistent identifier, resolver URL or local id. */
  dataset: string;
  from: string | Date;
  to: string | Date;
  /** For tables: the timestamp column the window applies to; the first one when null. */
  timeColumn?: string | null;
}

/** A checked export request: the dataset is readable and exportable, and the window is valid. */
export interface PreparedExport {
  target: QueryTarget;
  window: ExportWindow;
  timeColumn: string | null;
  viewer: Viewer;
}

/** Progress of a running export. */
export interface ExportProgress {
  rowsWritten: number;
  /** Estimate of the rows in the window; null while unknown. */
  estimatedTotal: number | null;
}

/** A finished export. */
export interface ExportResult extends WrittenCrate {
  rowCount: number;
}

/**
 * Exports a window of a dataset as an RO-Crate: reads its data page by
 * page through the data fabric, writes CSV and Parquet, and packs them
 * with their checksums, licence and provenance into one ZIP. The GraphQL
 * jobs and the `weft export` command both go through here.
 */
@Injectable()
export class DatasetExportService {
  private readonly logger = new Logger(DatasetExportService.name);

  constructor(
    private readonly catalog: CatalogService,
    private readonly fabricCatalog: FabricCatalog,
    private readonly identifiers: IdentifiersService,
    private readonly pages: DatasetPages,
    private readonly config: WeftConfigService,
    private readonly dataSource: DataSource,
  ) {}

  /** Check a request: the viewer is signed in and may read the data, the window is valid, the dataset has data. */
  async prepare(request: ExportRequest, viewer: Viewer): Promise<PreparedExport> {
    if (viewer.subject === null) {
      throw new ExportError(
        'UNAUTHENTICATED',
        'exports need a signed-in account: send "Authorization: Bearer <access token>"',
      );
    }
    const window = parseExportWindow(
      request.from,
      request.to,
      this.config.value.exportMaxWindowDays,
    );

    const localId = this.identifiers.parse(request.dataset);
    const dataset =
      localId === undefined
        ? null
        : await this.catalog.datasetByPid(this.identifiers.toPid(localId));
    const notFound = new ExportError(
      'NOT_FOUND',
      `dataset "${request.dataset.slice(0, 80)}" was not found or may not be read by this account: check the identifier (the dataset's landing page and GraphQL search show it), or sign in with an account that may read it`,
    );
    if (dataset === null || !mayReadDataset(viewer, dataset)) {
      throw notFound;
    }
    if (!mayReadData(viewer, dataset)) {
      throw new ExportError(
        'FORBIDDEN',
        `this account may see dataset ${dataset.pid} but not read its data: ask a data steward for access`,
      );
    }

    let target: QueryTarget;
    try {
      target = await this.fabricCatalog.targetById(dataset.id, viewer);
    } catch (error) {
      if (error instanceof FabricError && error.code === 'NOT_FOUND') {
        throw notFound;
      }
      if (error instanceof FabricError && error.code === 'NOT_QUERYABLE') {
        throw new ExportError('NOT_EXPORTABLE', error.message);
      }
      throw error;
    }
    const timeColumn =
      target.kind === 'postgres-table' ? tableTimeColumn(target, request.timeColumn ?? null) : null;
    return { target, window, timeColumn, viewer };
  }

  /**
   * Write the crate to `output`. Data files are written in a working
   * folder beside `output` and removed at the end, whatever happens.
   */
  async write(
    prepared: PreparedExport,
    output: string,
    exportId: string,
    onProgress: (progress: ExportProgress) => void,
  ): Promise<ExportResult> {
    const { target, window, viewer } = prepared;
    const startedAt = new Date();
    const progress: ExportProgress = { rowsWritten: 0, estimatedTotal: null };

    try {
      progress.estimatedTotal = await this.pages.estimate(target, window, viewer);
    } catch (error) {
      this.logger.warn({
        msg: 'export row estimate failed; progress shows rows only',
        exportId,
        dataset: target.dataset.pid,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    onProgress({ ...progress });

    const folder = await makeWorkFolder(path.dirname(path.resolve(output)));
    try {
      const data = await writeDataFiles(
        this.pages.read(target, window, viewer, prepared.timeColumn),
        folder,
        fileBaseName(target),
        (rowsWritten) => {
          progress.rowsWritten = rowsWritten;
          onProgress({ ...progress });
        },
      );
      const description = await this.describe(prepared, exportId, startedAt, data);
      const crate = await packCrate(folder, output, description);
      return { ...crate, rowCount: data.rowCount };
    } finally {
      await removeFolder(folder);
    }
  }

  private async describe(
    prepared: PreparedExport,
    exportId: string,
    startedAt: Date,
    data: Awaited<ReturnType<typeof writeDataFiles>>,
  ): Promise<Omit<CrateDescription, 'manifest'>> {
    const { target, viewer } = prepared;
    const dataset = target.dataset;
    const config = this.config.value;
    const licence =
      dataset.licenceId === null
        ? null
        : await this.dataSource
            .getRepository(LicenceEntity)
            .findOne({ where: { id: dataset.licenceId } });
    const runs = await this.catalog.activitiesOf(dataset.id);
    const sources = new Map([[target.source.id, target.source.pid]]);
    for (const run of runs) {
      if (!sources.has(run.sourceId)) {
        const source = await this.catalog.sourceById(run.sourceId);
        sources.set(run.sourceId, source?.pid ?? target.source.pid);
      }
    }
    const account = actorName(viewer);

    return {
      exportId,
      dataset: {
        pid: dataset.pid,
        title: dataset.title,
        description: dataset.description,
        keywords: dataset.keywords,
      },
      source: { pid: target.source.pid, title: target.source.title, kind: target.source.kind },
      licence: licence === null ? null : { id: licence.id, name: licence.name, url: licence.url },
      publisher: {
        id: config.publisherUri ?? `${config.baseUrl}/catalog#publisher`,
        name: config.publisherName,
      },
      serviceUrl: `${config.baseUrl}/`,
      requestedBy: { id: `urn:weft:account:${encodeURIComponent(account)}`, name: account },
      window: prepared.window,
      startedAt,
      endedAt: new Date(),
      rowCount: data.rowCount,
      files: data.files,
      queries: data.queries,
      harvestRuns: runs.map((run) => ({
        pid: run.pid,
        status: run.status,
        startedAt: run.startedAt,
        endedAt: run.endedAt,
        sourcePid: sources.get(run.sourceId) ?? target.source.pid,
      })),
    };
  }
}

/** Build the data files' base name from the measurement or table name, keeping letters, digits, dot, dash and underscore. */
export function fileBaseName(target: QueryTarget): string {
  const name = target.kind === 'influx-measurement' ? target.measurement : target.table;
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 80);
  return safe === '' ? 'data' : safe;
}
