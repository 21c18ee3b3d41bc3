import type { HarvestIssue } from '../harvest.types';
import { InfluxHarvestError } from './influx-harvest.error';

/** Tuning shared by the InfluxDB harvesters. */
export interface InfluxHarvesterOptions {
  /** Timeout of each HTTP request in milliseconds; default 30 000. */
  requestTimeoutMs?: number;
  /** Most measurements read per database or bucket; default 10 000. */
  maxMeasurements?: number;
  /** Where counting tag values stops when the server has no cardinality statement; default 100 000. */
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

/** The issues and completeness of one harvest run, filled as the run goes. */
export class HarvestRunRecord {
  readonly issues: HarvestIssue[] = [];
  complete = true;

  warn(subject: string, message: string): void {
    this.issues.push({ severity: 'warning', subject, message });
  }

  /** Record an error; the snapshot then no longer covers the whole source. */
  fail(subject: string, message: string): void {
    this.issues.push({ severity: 'error', subject, message });
    this.complete = false;
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

  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker());
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
