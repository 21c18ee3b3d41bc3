import { UNIT_TAG_KEYS } from './influx-field-units';
import { parseFieldType } from './influx-measurement-dataset';
import type {
  MeasurementField,
  MeasurementSchema,
  MeasurementTagKey,
} from './influx-measurement-dataset';
import { pickTimestamp } from './influx-time';
import type { InfluxqlClient } from './influxql-client';
import { qualifiedMeasurement, quoteIdentifier } from './influxql-quote';
import type { InfluxqlSeries, InfluxqlStatementResult } from './influxql-response';

/** A retention policy as `SHOW RETENTION POLICIES` lists it. */
export interface RetentionPolicyInfo {
  name: string;
  /** Go duration as InfluxDB writes it (`168h0m0s`); `0s` keeps data forever. */
  duration: string;
  /** The duration in seconds; 0 keeps data forever. */
  durationSeconds?: number;
  shardGroupDuration?: string;
  replicaN?: number;
  default: boolean;
}

export interface InfluxqlSchemaReaderOptions {
  /** `SHOW MEASUREMENTS` stops here, so a database with millions of measurements cannot stall a run. */
  maxMeasurements: number;
  /** Count at which servers older than 1.4 (no `SHOW TAG VALUES CARDINALITY`) stop counting tag values. */
  maxTagValuesCounted: number;
  /** False for servers known to predate `SHOW ... CARDINALITY` (InfluxDB 1.3 and older). */
  useCardinalityStatements: boolean;
}

/** A measurement's schema and the problems met while reading it. */
export interface MeasurementInspection {
  schema: MeasurementSchema;
  /** Retention policies that hold at least one point of the measurement. */
  retentionPoliciesWithData: string[];
  /** Statements that failed; the rest of the schema is still usable. */
  warnings: string[];
}

/** How many distinct `unit` tag values are read; more means the tag cannot name one unit for a field. */
const UNIT_TAG_VALUE_LIMIT = 5;

/**
 * Reads databases, retention policies and measurement schemas through
 * InfluxQL `SHOW` statements and bounded `SELECT`s. Every identifier is
 * quoted with `quoteIdentifier`; no name is spliced into a statement bare.
 */
export class InfluxqlSchemaReader {
  constructor(
    private readonly client: InfluxqlClient,
    private readonly options: InfluxqlSchemaReaderOptions,
  ) {}

  async listDatabases(signal: AbortSignal): Promise<string[]> {
    const [result] = await this.client.queryEach(['SHOW DATABASES'], { signal });
    throwIfFailed(result, 'SHOW DATABASES');
    return firstColumn(result.series);
  }

  async listRetentionPolicies(
    database: string,
    signal: AbortSignal,
  ): Promise<RetentionPolicyInfo[]> {
    const statement = `SHOW RETENTION POLICIES ON ${quoteIdentifier(database)}`;
    const [result] = await this.client.queryEach([statement], { signal });
    throwIfFailed(result, statement);

    return rowsAsRecords(result.series).map((row) => {
      const duration = typeof row.duration === 'string' ? row.duration : '';
      const policy: RetentionPolicyInfo = {
        name: String(row.name),
        duration,
        default: row.default === true,
      };
      const seconds = goDurationToSeconds(duration);
      if (seconds !== undefined) {
        policy.durationSeconds = seconds;
      }
      if (typeof row.shardGroupDuration === 'string') {
        policy.shardGroupDuration = row.shardGroupDuration;
      }
      if (typeof row.replicaN === 'number') {
        policy.replicaN = row.replicaN;
      }
      return policy;
    });
  }

  /** List measurement names, at most `maxMeasurements` of them. */
  async listMeasurements(
    database: string,
    signal: AbortSignal,
  ): Promise<{ names: string[]; truncated: boolean }> {
    const statement = `SHOW MEASUREMENTS LIMIT ${this.options.maxMeasurements + 1}`;
    const [result] = await this.client.queryEach([statement], { database, signal });
    throwIfFailed(result, statement);

    const names = firstColumn(result.series);
    const truncated = names.length > this.options.maxMeasurements;
    return { names: names.slice(0, this.options.maxMeasurements), truncated };
  }

  /** Read one measurement's tag keys, field keys and types, cardinalities and time span. */
  async inspectMeasurement(
    database: string,
    measurement: string,
    retentionPolicies: string[],
    signal: AbortSignal,
  ): Promise<MeasurementInspection> {
    const warnings: string[] = [];
    const schema: MeasurementSchema = { container: database, measurement, fields: [], tagKeys: [] };
    const source = quoteIdentifier(measurement);

    const structure = await this.client.queryEach(
      [
        `SHOW TAG KEYS FROM ${source}`,
        `SHOW FIELD KEYS FROM ${source}`,
        ...(this.options.useCardinalityStatements
          ? [`SHOW SERIES CARDINALITY FROM ${source}`]
          : []),
      ],
      { database, signal },
    );
    const [tagKeysResult, fieldKeysResult, seriesResult] = structure;

    collectWarning(warnings, 'SHOW TAG KEYS', tagKeysResult);
    collectWarning(warnings, 'SHOW FIELD KEYS', fieldKeysResult);
    const tagKeys = firstColumn(tagKeysResult.series);
    schema.fields = readFieldKeys(fieldKeysResult.series);
    // The series count is optional detail, so a server that cannot give it is not a problem.
    if (seriesResult !== undefined && seriesResult.error === undefined) {
      schema.seriesCount = readCount(seriesResult.series);
    }

    const details = await this.readTagsAndTimeSpan(
      database,
      measurement,
      tagKeys,
      retentionPolicies,
      signal,
    );
    schema.tagKeys = details.tagKeys;
    warnings.push(...details.warnings);
    if (details.unitTagValues !== undefined) {
      schema.unitTagValues = details.unitTagValues;
    }
    if (details.firstTimestamp !== undefined) {
      schema.firstTimestamp = details.firstTimestamp;
    }
    if (details.lastTimestamp !== undefined) {
      schema.lastTimestamp = details.lastTimestamp;
    }

    return { schema, retentionPoliciesWithData: details.retentionPoliciesWithData, warnings };
  }

  private async readTagsAndTimeSpan(
    database: string,
    measurement: string,
    tagKeys: string[],
    retentionPolicies: string[],
    signal: AbortSignal,
  ) {
    const source = quoteIdentifier(measurement);
    const unitTagKey = tagKeys.find((key) => UNIT_TAG_KEYS.includes(key.toLowerCase()));

    const statements: string[] = tagKeys.map((key) => this.tagCardinalityStatement(source, key));
    if (unitTagKey !== undefined) {
      statements.push(
        `SHOW TAG VALUES FROM ${source} WITH KEY = ${quoteIdentifier(unitTagKey)} LIMIT ${UNIT_TAG_VALUE_LIMIT + 1}`,
      );
    }
    // `SELECT *` over each retention policy finds the earliest and latest
    // point of any field and series; ORDER BY time DESC reads from the end.
    for (const policy of retentionPolicies) {
      const qualified = qualifiedMeasurement(database, policy, measurement);
      statements.push(`SELECT * FROM ${qualified} ORDER BY time ASC LIMIT 1`);
      statements.push(`SELECT * FROM ${qualified} ORDER BY time DESC LIMIT 1`);
    }

    const results = await this.client.queryEach(statements, { database, signal });
    const warnings: string[] = [];

    const tagKeyInfos: MeasurementTagKey[] = [];
    for (const [index, key] of tagKeys.entries()) {
      tagKeyInfos.push(
        await this.readTagCardinality(database, source, key, results[index], warnings, signal),
      );
    }

    let next = tagKeys.length;
    let unitTagValues: string[] | undefined;
    if (unitTagKey !== undefined) {
      const unitResult = results[next];
      next += 1;
      collectWarning(
        warnings,
        `SHOW TAG VALUES WITH KEY = ${quoteIdentifier(unitTagKey)}`,
        unitResult,
      );
      unitTagValues = rowsAsRecords(unitResult.series).map((row) => String(row.value));
    }

    let firstTimestamp: string | undefined;
    let lastTimestamp: string | undefined;
    const retentionPoliciesWithData: string[] = [];
    for (const policy of retentionPolicies) {
      const first = results[next];
      const last = results[next + 1];
      next += 2;

      collectWarning(warnings, `SELECT first point in retention policy ${policy}`, first);
      collectWarning(warnings, `SELECT last point in retention policy ${policy}`, last);
      const firstTime = readTime(first.series);
      const lastTime = readTime(last.series);
      if (firstTime !== undefined) {
        retentionPoliciesWithData.push(policy);
      }
      firstTimestamp = pickTimestamp(firstTimestamp, firstTime, 'earliest');
      lastTimestamp = pickTimestamp(lastTimestamp, lastTime, 'latest');
    }

    return {
      tagKeys: tagKeyInfos,
      unitTagValues,
      firstTimestamp,
      lastTimestamp,
      retentionPoliciesWithData,
      warnings,
    };
  }

  private tagCardinalityStatement(source: string, key: string): string {
    if (this.options.useCardinalityStatements) {
      return `SHOW TAG VALUES CARDINALITY FROM ${source} WITH KEY = ${quoteIdentifier(key)}`;
    }
    return this.tagValueCountStatement(source, key);
  }

  private tagValueCountStatement(source: string, key: string): string {
    return `SHOW TAG VALUES FROM ${source} WITH KEY = ${quoteIdentifier(key)} LIMIT ${this.options.maxTagValuesCounted + 1}`;
  }

  /**
   * Read a tag key's cardinality from its statement result. When the server
   * rejects `SHOW TAG VALUES CARDINALITY` (older than 1.4), the values are
   * listed and counted instead, up to `maxTagValuesCounted`.
   */
  private async readTagCardinality(
    database: string,
    source: string,
    key: string,
    result: InfluxqlStatementResult,
    warnings: string[],
    signal: AbortSignal,
  ): Promise<MeasurementTagKey> {
    if (result.error === undefined) {
      return this.options.useCardinalityStatements
        ? { key, cardinality: readCount(result.series) }
        : this.countedCardinality(key, result.series);
    }

    if (this.options.useCardinalityStatements && /error parsing query/i.test(result.error)) {
      const [counted] = await this.client.queryEach([this.tagValueCountStatement(source, key)], {
        database,
        signal,
      });
      if (counted.error === undefined) {
        return this.countedCardinality(key, counted.series);
      }
      collectWarning(warnings, `SHOW TAG VALUES WITH KEY = ${quoteIdentifier(key)}`, counted);
      return { key };
    }

    collectWarning(
      warnings,
      `SHOW TAG VALUES CARDINALITY WITH KEY = ${quoteIdentifier(key)}`,
      result,
    );
    return { key };
  }

  private countedCardinality(key: string, series: InfluxqlSeries[]): MeasurementTagKey {
    const count = series.reduce((total, entry) => total + entry.values.length, 0);
    if (count > this.options.maxTagValuesCounted) {
      return { key, cardinality: this.options.maxTagValuesCounted, cardinalityIsLowerBound: true };
    }
    return { key, cardinality: count };
  }
}

/**
 * Convert a Go duration (`168h0m0s`, `1h30m`, `0s`) to whole seconds. Returns
 * undefined for text that is not a Go duration.
 */
export function goDurationToSeconds(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) {
    return undefined;
  }

  const factors: Record<string, number> = {
    h: 3600,
    m: 60,
    s: 1,
    ms: 1e-3,
    us: 1e-6,
    µs: 1e-6,
    ns: 1e-9,
  };
  let seconds = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) {
    seconds += Number(match[1]) * factors[match[2]];
  }
  return Math.floor(seconds);
}

function throwIfFailed(result: InfluxqlStatementResult, statement: string): void {
  if (result.error !== undefined) {
    throw new Error(`${statement} failed: ${result.error}`);
  }
}

function collectWarning(warnings: string[], what: string, result: InfluxqlStatementResult): void {
  if (result.error !== undefined) {
    warnings.push(`${what} failed: ${result.error}`);
  }
}

/** Collect the first column of every row of every series as strings (`SHOW MEASUREMENTS`, `SHOW TAG KEYS`). */
function firstColumn(series: InfluxqlSeries[]): string[] {
  return series.flatMap((entry) => entry.values.map((row) => String(row[0])));
}

function rowsAsRecords(series: InfluxqlSeries[]): Record<string, unknown>[] {
  return series.flatMap((entry) =>
    entry.values.map((row) =>
      Object.fromEntries(entry.columns.map((column, index) => [column, row[index]])),
    ),
  );
}

function readFieldKeys(series: InfluxqlSeries[]): MeasurementField[] {
  const fields = new Map<string, MeasurementField>();

  for (const row of rowsAsRecords(series)) {
    const key = String(row.fieldKey);
    const type = parseFieldType(String(row.fieldType));
    const field = fields.get(key) ?? { key, types: [] };
    if (type !== undefined && !field.types.includes(type)) {
      field.types.push(type);
    }
    fields.set(key, field);
  }

  return [...fields.values()];
}

/** Read `count` from a cardinality result; no series means zero. */
function readCount(series: InfluxqlSeries[]): number {
  let total = 0;
  for (const row of rowsAsRecords(series)) {
    if (typeof row.count === 'number') {
      total += row.count;
    }
  }
  return total;
}

function readTime(series: InfluxqlSeries[]): string | undefined {
  const [first] = series;
  if (first === undefined || first.values.length === 0) {
    return undefined;
  }

  const column = first.columns.indexOf('time');
  const value = column < 0 ? undefined : first.values[0][column];
  return typeof value === 'string' ? value : undefined;
}
