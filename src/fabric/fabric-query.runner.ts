import { createHash } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { actorName } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import type { QueryTarget } from './catalog/query-target';
import { canonicalJson } from './cursor';
import { FabricError } from './fabric.error';
import type { PushedDownQuery } from './frame';
import type { FabricOperation } from './provenance/fabric-query.entity';
import { FabricQueryRecorder } from './provenance/fabric-query-recorder.service';

/** Largest query input kept in a provenance record, as JSON bytes. */
export const MAX_RECORDED_INPUT_BYTES = 64 * 1024;

/** What one query read and ran, filled in while it runs. */
export class QueryTrace {
  readonly datasets = new Set<string>();
  readonly sources = new Set<string>();
  readonly pushedDown: PushedDownQuery[] = [];
  private recordedInput: Record<string, unknown> = {};

  /** The validated query, as recorded in provenance. */
  get input(): Record<string, unknown> {
    return this.recordedInput;
  }

  /**
   * Sets the query to record. Every query's input is kept in its provenance
   * record for good, so one above MAX_RECORDED_INPUT_BYTES is rejected
   * before it reaches a source instead of growing the catalog.
   */
  set input(input: Record<string, unknown>) {
    const bytes = Buffer.byteLength(JSON.stringify(input));
    if (bytes > MAX_RECORDED_INPUT_BYTES) {
      throw new FabricError(
        'INVALID_QUERY',
        `the query's filters and columns take ${bytes} bytes, more than ${MAX_RECORDED_INPUT_BYTES}: use fewer or shorter filter values, or split the query`,
      );
    }
    this.recordedInput = input;
  }

  /** Note that a dataset and its source are read. */
  use(target: QueryTarget): void {
    this.datasets.add(target.dataset.pid);
    this.sources.add(target.source.pid);
  }
}

/** How a finished query is summarised in its record. */
export interface QuerySummary {
  rowCount: number;
  /** The returned data; its canonical JSON is hashed into the result checksum. */
  result: unknown;
}

/**
 * Runs a data query and records it as a PROV-O activity, whether it
 * succeeds or fails at a source. A query rejected before any statement was
 * sent (an unknown field, an unreadable dataset, a page above the budget)
 * reads no data and is not recorded.
 */
@Injectable()
export class FabricQueryRunner {
  private readonly logger = new Logger(FabricQueryRunner.name);

  constructor(private readonly recorder: FabricQueryRecorder) {}

  async run<T>(
    operation: FabricOperation,
    viewer: Viewer,
    body: (trace: QueryTrace) => Promise<T>,
    summarize: (result: T) => QuerySummary,
  ): Promise<{ result: T; activityPid: string; checksum: string }> {
    const trace = new QueryTrace();
    const startedAt = new Date();
    const requestedBy = viewer.subject === null ? null : actorName(viewer);

    let result: T;
    try {
      result = await body(trace);
    } catch (error) {
      if (trace.pushedDown.length > 0) {
        const record = await this.recorder.record(
          {
            operation,
            status: 'failed',
            requestedBy,
            startedAt,
            endedAt: new Date(),
            input: trace.input,
            datasets: [...trace.datasets],
            sources: [...trace.sources],
            pushedDown: trace.pushedDown,
            rowCount: 0,
            resultChecksum: null,
            error: error instanceof Error ? error.message : String(error),
          },
          viewer.subject,
        );
        if (error instanceof FabricError) {
          error.activityPid = record.pid;
          // Fabric errors skip Nest's exception log as client errors; a source failure is the site's.
          if (error.code === 'SOURCE_FAILED' || error.code === 'TIME_BUDGET_EXCEEDED') {
            this.logger.warn({
              msg: 'data query failed at the source',
              code: error.code,
              activityPid: record.pid,
              sources: [...trace.sources],
              error: error.message,
            });
          }
        }
      }
      throw error;
    }

    const summary = summarize(result);
    const checksum = resultChecksum(summary.result);
    const record = await this.recorder.record(
      {
        operation,
        status: 'succeeded',
        requestedBy,
        startedAt,
        endedAt: new Date(),
        input: trace.input,
        datasets: [...trace.datasets],
        sources: [...trace.sources],
        pushedDown: trace.pushedDown,
        rowCount: summary.rowCount,
        resultChecksum: checksum,
        error: null,
      },
      viewer.subject,
    );
    return { result, activityPid: record.pid, checksum };
  }
}

/** SHA-256 (hex) of a result's canonical JSON, so equal results give equal checksums. */
export function resultChecksum(result: unknown): string {
  return createHash('sha256').update(canonicalJson(result)).digest('hex');
}
