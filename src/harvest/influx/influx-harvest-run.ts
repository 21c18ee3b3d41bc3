import type { LoggerService } from '@nestjs/common';

import type { HarvestedDataset, HarvestIssue, HarvestSnapshot } from '../harvest.types';
import { InfluxHarvestError } from './influx-harvest.error';

/** Tuning shared by the InfluxDB harvesters. */
export interface InfluxHarvesterOptions {
  /** Timeout of each HTTP request in milliseconds; default 30 000. */
  requestTimeoutMs?: number;
  /** Most measurements read per database or bucket; default 10 000. */
  maxMeasurements?: number;
  /** Count at which listing tag values stops when the server has no cardinality statement; default 100 000. */
  maxTagValuesCounted?: number;
  /** Measurements inspected at the same time; default 4. */
  concurrency?: number;
}

export const DEFAULT_INFLUX_HARVESTER_OPTIONS: Required<InfluxHarvesterOptions> = {
  requestTimeoutMs: 30_000,
  maxMeasurements: 10_000,
  maxTagValuesCounted: 100_000,
  concurrency: 4,
};

/**
 * Errors that concern the whole source (server down, slow, credentials
 * rejected, run aborted) rather than one measurement; they end the run.
 */
export function isSourceLevelError(error: unknown): boolean {
  if (!(error instanceof InfluxHarvestError)) {
    return false;
  }

  switch (error.code) {
    case 'network':
    case 'timeout':
    case 'aborted':
    case 'auth-failed':
    case 'config':
      return true;
    case 'http-status':
    case 'invalid-response':
    case 'response-too-large':
    case 'query-failed':
      return false;
  }
}

/** Issues logged per run; later ones are only counted, so a broken source cannot flood the log. */
const LOGGED_ISSUES_PER_RUN = 20;

/**
 * Issues and completeness of one harvest run, filled as the run goes. Each
 * issue is also logged with the source id, up to LOGGED_ISSUES_PER_RUN.
 */
export class HarvestRunRecord {
  readonly issues: HarvestIssue[] = [];
  complete = true;

  constructor(
    private readonly logger: LoggerService,
    private readonly sourceId: string,
  ) {}

  warn(subject: string, message: string): void {
    this.add({ severity: 'warning', subject, message });
  }

  /** Record an error; the snapshot then no longer covers the whole source. */
  fail(subject: string, message: string): void {
    this.add({ severity: 'error', subject, message });
    this.complete = false;
  }

  /** Log how many issues went unlogged, once the run has ended. */
  private logUnloggedCount(): void {
    const unlogged = this.issues.length - LOGGED_ISSUES_PER_RUN;
    if (unlogged > 0) {
      this.logger.warn(
        `source ${this.sourceId}: ${unlogged} more issues were recorded but not logged`,
      );
    }
  }

  /** Log the end of the run and build its snapshot. */
  finish(run: {
    sourceKind: HarvestSnapshot['sourceKind'];
    harvester: string;
    startedAt: string;
    sourceDetails: Record<string, unknown>;
    datasets: HarvestedDataset[];
  }): HarvestSnapshot {
    this.logUnloggedCount();
    this.logger.log(
      `harvest of source ${this.sourceId} ended: ${run.datasets.length} datasets, ${this.issues.length} issues`,
    );
    return {
      sourceId: this.sourceId,
      ...run,
      endedAt: new Date().toISOString(),
      issues: this.issues,
      complete: this.complete,
    };
  }

  private add(issue: HarvestIssue): void {
    this.issues.push(issue);
    if (this.issues.length <= LOGGED_ISSUES_PER_RUN) {
      this.logger.warn(
        `source ${this.sourceId}: ${issue.severity} for ${issue.subject}: ${issue.message}`,
      );
    }
  }
}

/**
 * Map `items` with `task`, at most `limit` at a time, and return the results
 * in the order of `items` whatever order the tasks finish in. After the first
 * rejection no new item starts, and the returned promise rejects with that
 * error once the running ones have settled.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;

  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };

  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () =>
    worker(),
  );
  await Promise.all(workers);

  if (failure !== undefined) {
    throw failure.error;
  }
  return results;
}

/** Throw the `aborted` error when the run's signal fired. */
export function throwIfAborted(signal: AbortSignal, subject: string): void {
  if (signal.aborted) {
    throw new InfluxHarvestError('aborted', `harvest of ${subject} was aborted`);
  }
}
