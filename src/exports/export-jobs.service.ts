import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';

import { hasRole } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import { WeftConfigService } from '../config/weft-config.service';
import { FabricError } from '../fabric/fabric.error';
import { DatasetExportService } from './dataset-export.service';
import type { ExportRequest, PreparedExport } from './dataset-export.service';
import { ExportError } from './export.error';
import type { ExportWindow } from './export-window';
import { mayReadData } from '../auth/dataset-access';
import { CatalogService } from '../catalog/catalog.service';

export type ExportJobState = 'running' | 'succeeded' | 'failed';

/** One export job: its request, its progress and, once it succeeded, its file. */
export interface ExportJob {
  id: string;
  datasetPid: string;
  window: ExportWindow;
  /** Subject of the account that started the job; only it and stewards may see the job. */
  ownerSubject: string;
  state: ExportJobState;
  rowsWritten: number;
  estimatedTotal: number | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** When the job and its file are deleted; set when the job ends. */
  expiresAt: Date | null;
  file: { path: string; sha256: string; size: number } | null;
}

const FILE_PREFIX = 'weft-export-';

/**
 * Runs export jobs in the background and keeps them, with their ZIP
 * files in WEFT_EXPORT_DIR, until WEFT_EXPORT_RETENTION_MINUTES after they
 * end. Jobs live in memory only.
 */
@Injectable()
export class ExportJobsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ExportJobsService.name);
  private readonly jobs = new Map<string, ExportJob>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly exporter: DatasetExportService,
    private readonly config: WeftConfigService,
    private readonly catalog: CatalogService,
  ) {}

  onModuleInit(): void {
    const folder = this.config.value.exportDir;
    const retentionMs = this.config.value.exportRetentionMinutes * 60_000;
    mkdirSync(folder, { recursive: true });
    // NOTE: jobs are kept in memory, so files of jobs from before a restart have no job left to
    // expire them. They are deleted here once older than the retention time; younger ones may
    // belong to another process (a `weft export` run) sharing the folder.
    for (const name of readdirSync(folder)) {
      const file = path.join(folder, name);
      if (
        (name.startsWith(FILE_PREFIX) || name.startsWith('.work-')) &&
        Date.now() - statSync(file).mtimeMs > retentionMs
      ) {
        rmSync(file, { recursive: true, force: true });
      }
    }
    this.sweeper = setInterval(() => void this.sweep(), Math.min(60_000, retentionMs));
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper !== null) {
      clearInterval(this.sweeper);
    }
  }

  /** Check the request, then start the job and return it at once; the export runs in the background. */
  async start(request: ExportRequest, viewer: Viewer): Promise<ExportJob> {
    // NOTE: jobs are not queued or limited per account, and each runs at once. Only the fabric's
    // per-page budgets bound the load they put on the sources.
    const prepared = await this.exporter.prepare(request, viewer);
    const job: ExportJob = {
      id: randomUUID(),
      datasetPid: prepared.target.dataset.pid,
      window: prepared.window,
      ownerSubject: viewer.subject as string,
      state: 'running',
      rowsWritten: 0,
      estimatedTotal: null,
      error: null,
      createdAt: new Date(),
      finishedAt: null,
      expiresAt: null,
      file: null,
    };
    this.jobs.set(job.id, job);
    this.logger.log({
      msg: 'export started',
      exportId: job.id,
      dataset: job.datasetPid,
      from: job.window.from.toISOString(),
      to: job.window.to.toISOString(),
    });
    void this.run(job, prepared);
    return job;
  }

  /** Find a job the viewer started, or any job for a steward; null otherwise. */
  find(id: string, viewer: Viewer): ExportJob | null {
    const job = this.jobs.get(id);
    if (job === undefined || viewer.subject === null) {
      return null;
    }
    return job.ownerSubject === viewer.subject || hasRole(viewer, 'steward') ? job : null;
  }

  /** Return a finished job whose ZIP the viewer may download; throws an ExportError naming why there is none. */
  async download(
    id: string,
    viewer: Viewer,
  ): Promise<ExportJob & { file: NonNullable<ExportJob['file']> }> {
    if (viewer.subject === null) {
      throw new ExportError(
        'UNAUTHENTICATED',
        'downloads need a signed-in account: send "Authorization: Bearer <access token>" of the account that started the export',
      );
    }
    const job = this.find(id, viewer);
    if (job === null) {
      throw new ExportError(
        'NOT_FOUND',
        `export ${id.slice(0, 80)} was not found: it expired, or another account started it`,
      );
    }
    if (job.file === null) {
      throw new ExportError(
        'NOT_READY',
        job.state === 'failed'
          ? `export ${job.id} failed (${job.error ?? 'unknown error'}): start a new export`
          : `export ${job.id} is still running (${job.rowsWritten} rows written): ask for datasetExport progress and download when its state is SUCCEEDED`,
      );
    }
    // The dataset's policy may have changed since the export ran: ask again before handing out data.
    const dataset = await this.catalog.datasetByPid(job.datasetPid);
    if (dataset === null || !mayReadData(viewer, dataset)) {
      throw new ExportError(
        'FORBIDDEN',
        `export ${job.id} is of dataset ${job.datasetPid}, whose data this account may no longer read: ask a data steward for access`,
      );
    }
    return { ...job, file: job.file };
  }

  private async run(job: ExportJob, prepared: PreparedExport): Promise<void> {
    const output = path.join(this.config.value.exportDir, `${FILE_PREFIX}${job.id}.zip`);
    try {
      const result = await this.exporter.write(prepared, output, job.id, (progress) => {
        job.rowsWritten = progress.rowsWritten;
        job.estimatedTotal = progress.estimatedTotal;
      });
      job.file = { path: result.path, sha256: result.sha256, size: result.size };
      job.rowsWritten = result.rowCount;
      // The estimate was only an estimate; at the end the total is known.
      job.estimatedTotal = result.rowCount;
      job.state = 'succeeded';
      this.logger.log({
        msg: 'export finished',
        exportId: job.id,
        dataset: job.datasetPid,
        rows: result.rowCount,
        bytes: result.size,
      });
    } catch (error) {
      job.state = 'failed';
      job.error =
        error instanceof FabricError || error instanceof ExportError
          ? error.message
          : 'the export failed inside Weft; the server log has the details';
      this.logger.error({
        msg: 'export failed',
        exportId: job.id,
        dataset: job.datasetPid,
        error: error instanceof Error ? error.message : String(error),
      });
      await rm(output, { force: true });
    } finally {
      job.finishedAt = new Date();
      job.expiresAt = new Date(
        job.finishedAt.getTime() + this.config.value.exportRetentionMinutes * 60_000,
      );
    }
  }

  /** Delete jobs, and their files, whose time is up. */
  async sweep(now: Date = new Date()): Promise<void> {
    for (const job of [...this.jobs.values()]) {
      if (job.expiresAt === null || job.expiresAt.getTime() > now.getTime()) {
        continue;
      }
      this.jobs.delete(job.id);
      if (job.file !== null) {
        await rm(job.file.path, { force: true });
      }
      this.logger.log({ msg: 'export expired', exportId: job.id, dataset: job.datasetPid });
    }
  }
}
