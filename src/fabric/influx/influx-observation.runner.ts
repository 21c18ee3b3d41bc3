import { InfluxHarvestError } from '../../harvest/influx/influx-harvest.error';
import type { InfluxqlParam } from '../../harvest/influx/influxql-client';
import type { InfluxqlStatementResult } from '../../harvest/influx/influxql-response';
import type { MeasurementTarget } from '../catalog/query-target';
import type { QueryDeadline } from '../deadline';
import { FabricError } from '../fabric.error';
import type { CellValue, PushedDownQuery } from '../frame';
import { buildFluxQuery } from './flux-observation.query';
import { fluxClientFor, influxqlClientFor } from './influx-connections';
import { buildInfluxqlStatement } from './influxql-observation.query';
import type { SeriesSlice } from './influxql-observation.query';
import type { ObservationPlan } from './observation-plan';

/** Rows of one slice, in the plan's column order. */
export interface SliceResult {
  rows: CellValue[][];
}

/** Statements per InfluxQL request in a join; InfluxDB runs them one after another. */
const STATEMENTS_PER_REQUEST = 50;
/**
 * Largest number of rows (the sum of the statements' LIMITs) for which the
 * response is requested uncompressed. Up to the default page of 1,000 rows
 * the JSON is small. On the test machine, gzip added about 0.35 ms to each
 * such round trip on loopback, so larger pages stay compressed only to
 * spare the network.
 */
const UNCOMPRESSED_MAX_ROWS = 5_000;
/** Flux requests in flight at once for a join. */
const FLUX_CONCURRENCY = 4;

/**
 * Runs observation queries against the measurement's source: InfluxQL on
 * the v1 API, Flux on the v2 API. Several slices (one per joined row) go in
 * as few requests as the API allows.
 */
export class InfluxObservationRunner {
  constructor(
    private readonly target: MeasurementTarget,
    private readonly plan: ObservationPlan,
    private readonly deadline: QueryDeadline,
    private readonly pushedDown: PushedDownQuery[],
  ) {}

  async run(slices: SeriesSlice[]): Promise<SliceResult[]> {
    try {
      return this.target.connection.api === 'influxql'
        ? await this.runInfluxql(slices)
        : await this.runFlux(slices);
    } catch (error) {
      throw this.toFabricError(error);
    }
  }

  private async runInfluxql(slices: SeriesSlice[]): Promise<SliceResult[]> {
    const connection = this.target.connection;
    if (connection.api !== 'influxql') {
      throw new Error('unreachable: InfluxQL runner on a Flux source');
    }

    const results: SliceResult[] = [];
    for (let start = 0; start < slices.length; start += STATEMENTS_PER_REQUEST) {
      this.deadline.check(this.subject());
      const batch = slices.slice(start, start + STATEMENTS_PER_REQUEST);
      const built = batch.map((slice, index) =>
        buildInfluxqlStatement(
          this.target,
          this.plan,
          slice,
          slices.length === 1 ? '' : `s${start + index}_`,
        ),
      );
      const params: Record<string, InfluxqlParam> = {};
      for (const entry of built) {
        Object.assign(params, entry.params);
      }
      const statement = built.map((entry) => entry.statement).join(';\n');

      // Recorded before sending, so a statement that fails or times out is still in the provenance.
      const recorded = built.map((entry) => this.record('InfluxQL', entry.statement, entry.params));
      const client = influxqlClientFor(connection.config, this.deadline.remainingMs());
      const rowLimit = batch.reduce((sum, slice) => sum + slice.limit, 0);
      const response = await client.query(statement, {
        database: connection.database,
        params,
        uncompressed: rowLimit <= UNCOMPRESSED_MAX_ROWS,
        signal: this.deadline.signal,
      });

      for (const [index, entry] of built.entries()) {
        const result = response.results.find((candidate) => candidate.statementId === index);
        const rows = rowsOfStatement(result, entry.statement);
        recorded[index].rowCount = rows.length;
        results.push({ rows });
      }
    }
    return results;
  }

  private async runFlux(slices: SeriesSlice[]): Promise<SliceResult[]> {
    const connection = this.target.connection;
    if (connection.api !== 'flux') {
      throw new Error('unreachable: Flux runner on an InfluxQL source');
    }

    const client = fluxClientFor(connection.config);
    const results: SliceResult[] = new Array<SliceResult>(slices.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < slices.length) {
        const index = next++;
        this.deadline.check(this.subject());
        const statement = buildFluxQuery(this.target, this.plan, slices[index]);
        const recorded = this.record('Flux', statement.query, statement.params);
        const records = await client.query(statement, {
          signal: this.deadline.signal,
          timeoutMs: this.deadline.remainingMs(),
        });
        const rows = records.map((record) => this.fluxRow(record));
        recorded.rowCount = rows.length;
        results[index] = { rows };
      }
    };
    await Promise.all(Array.from({ length: Math.min(FLUX_CONCURRENCY, slices.length) }, worker));
    return results;
  }

  private record(
    language: 'InfluxQL' | 'Flux',
    statement: string,
    params: Record<string, unknown>,
  ): PushedDownQuery {
    const entry: PushedDownQuery = {
      sourcePid: this.target.source.pid,
      language,
      statement,
      params,
      rowCount: 0,
    };
    this.pushedDown.push(entry);
    return entry;
  }

  private fluxRow(record: Record<string, unknown>): CellValue[] {
    return this.plan.columns.map((column) => {
      const value = record[column.role === 'time' ? '_time' : column.name];
      return toCell(value);
    });
  }

  private subject(): string {
    return `the query on measurement ${this.target.measurement} (dataset ${this.target.dataset.pid})`;
  }

  private toFabricError(error: unknown): unknown {
    if (error instanceof FabricError) {
      return error;
    }
    if (error instanceof InfluxHarvestError) {
      switch (error.code) {
        case 'timeout':
        case 'aborted':
          return this.deadline.exceeded(
            this.subject(),
            'narrow the time range, add tag filters, or aggregate over a wider window',
          );
        case 'response-too-large':
          return new FabricError(
            'ROW_BUDGET_EXCEEDED',
            `${this.subject()} returned more data than Weft accepts in one response: ask for fewer rows per page or fewer fields`,
          );
        case 'network':
        case 'auth-failed':
        case 'http-status':
        case 'invalid-response':
        case 'query-failed':
        case 'config':
          return new FabricError('SOURCE_FAILED', `${this.subject()} failed: ${error.message}`, {
            cause: error,
          });
      }
    }
    return error;
  }
}

/**
 * Collect a statement's rows. Without GROUP BY on tags, InfluxQL returns one
 * series whose cells are already in the plan's column order: time first, then
 * the selected fields and tags. A statement with no data returns no series.
 */
function rowsOfStatement(
  result: InfluxqlStatementResult | undefined,
  statement: string,
): CellValue[][] {
  if (result === undefined) {
    throw new InfluxHarvestError(
      'invalid-response',
      `InfluxDB returned no result for the statement ${statement.slice(0, 120)}`,
    );
  }
  if (result.error !== undefined) {
    throw new InfluxHarvestError(
      'query-failed',
      `InfluxDB rejected the statement: ${result.error}`,
    );
  }
  return result.series.flatMap((series) => series.values.map((row) => row.map(toCell)));
}

function toCell(value: unknown): CellValue {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return JSON.stringify(value);
}
