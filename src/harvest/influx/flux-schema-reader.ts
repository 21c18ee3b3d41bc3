import { flux } from '@influxdata/influxdb-client';
import type { ParameterizedQuery, QueryApi } from '@influxdata/influxdb-client';

import { runFluxQuery } from './flux-query-runner';
import type { FluxRow } from './flux-query-runner';
import { UNIT_TAG_KEYS } from './influx-field-units';
import { InfluxHarvestError } from './influx-harvest.error';
import { parseFieldType } from './influx-measurement-dataset';
import type {
  MeasurementField,
  MeasurementSchema,
  MeasurementTagKey,
} from './influx-measurement-dataset';
import { pickTimestamp } from './influx-time';

/**
 * Columns that `schema.measurementTagKeys()` lists besides the real tag keys:
 * every Flux table of a bucket carries them.
 */
const FLUX_SYSTEM_COLUMNS = new Set(['_start', '_stop', '_measurement', '_field']);

/** How many distinct `unit` tag values are read; more means the tag cannot name one unit for a field. */
const UNIT_TAG_VALUE_LIMIT = 5;

/**
 * Reads measurement schemas from an InfluxDB 2.x bucket with the Flux
 * `influxdata/influxdb/schema` package. Bucket and measurement names enter
 * the queries only through the client's `flux` template, which writes them as
 * escaped string literals.
 *
 * NOTE: every query covers 1970-01-01T00:00:00Z up to now(), the default
 * stop of range() and of the schema functions, so points with future
 * timestamps are not seen.
 */
export class FluxSchemaReader {
  constructor(
    private readonly queryApi: QueryApi,
    private readonly queryUrl: string,
    private readonly maxMeasurements: number,
  ) {}

  /** List measurement names of a bucket, at most `maxMeasurements` of them. */
  async listMeasurements(
    bucket: string,
    signal: AbortSignal,
  ): Promise<{ names: string[]; truncated: boolean }> {
    const query = flux`import "influxdata/influxdb/schema"

schema.measurements(bucket: ${bucket}, start: 1970-01-01T00:00:00Z)
  |> limit(n: ${this.maxMeasurements + 1})`;

    const rows = await this.run(query, signal);
    const names = rows.map((row) => requireString(row, '_value', this.queryUrl));
    const truncated = names.length > this.maxMeasurements;
    return { names: names.slice(0, this.maxMeasurements), truncated };
  }

  /**
   * Read one measurement in two queries. The first returns tag keys, field
   * keys, the series count and each field's first and last point, whose
   * `_value` column type is the field type. The second counts the values of
   * each tag key.
   */
  async inspectMeasurement(
    bucket: string,
    measurement: string,
    signal: AbortSignal,
  ): Promise<MeasurementSchema> {
    const rows = await this.run(structureQuery(bucket, measurement), signal);
    const schema: MeasurementSchema = { container: bucket, measurement, fields: [], tagKeys: [] };

    const tagKeys = stringValues(rows, 'tagKeys', this.queryUrl).filter(
      (key) => !FLUX_SYSTEM_COLUMNS.has(key),
    );
    const fieldKeys = stringValues(rows, 'fieldKeys', this.queryUrl);
    schema.fields = readFields(fieldKeys, rows);

    const seriesCount = rows.find((row) => row.result === 'seriesCount')?.values._value;
    if (typeof seriesCount === 'number') {
      schema.seriesCount = seriesCount;
    }

    for (const row of rows) {
      const time = row.values._time;
      if (typeof time !== 'string') {
        continue;
      }
      if (row.result === 'first') {
        schema.firstTimestamp = pickTimestamp(schema.firstTimestamp, time, 'earliest');
      } else if (row.result === 'last') {
        schema.lastTimestamp = pickTimestamp(schema.lastTimestamp, time, 'latest');
      }
    }

    const tagDetails = await this.readTagCardinalities(bucket, measurement, tagKeys, signal);
    schema.tagKeys = tagDetails.tagKeys;
    if (tagDetails.unitTagValues !== undefined) {
      schema.unitTagValues = tagDetails.unitTagValues;
    }

    return schema;
  }

  private async readTagCardinalities(
    bucket: string,
    measurement: string,
    tagKeys: string[],
    signal: AbortSignal,
  ): Promise<{ tagKeys: MeasurementTagKey[]; unitTagValues?: string[] }> {
    if (tagKeys.length === 0) {
      return { tagKeys: [] };
    }

    const unitTagKey = tagKeys.find((key) => UNIT_TAG_KEYS.includes(key.toLowerCase()));
    const rows = await this.run(tagValuesQuery(bucket, measurement, tagKeys, unitTagKey), signal);

    const infos = tagKeys.map((key, index): MeasurementTagKey => {
      const count = rows.find((row) => row.result === `tag${index}`)?.values._value;
      return { key, cardinality: typeof count === 'number' ? count : 0 };
    });

    if (unitTagKey === undefined) {
      return { tagKeys: infos };
    }
    return { tagKeys: infos, unitTagValues: stringValues(rows, 'unitValues', this.queryUrl) };
  }

  private run(query: ParameterizedQuery, signal: AbortSignal): Promise<FluxRow[]> {
    return runFluxQuery(this.queryApi, query, signal, this.queryUrl);
  }
}

/** Build the Flux that reads tag keys, field keys, series count and first and last points of one measurement. */
export function structureQuery(bucket: string, measurement: string): ParameterizedQuery {
  return flux`import "influxdata/influxdb"
import "influxdata/influxdb/schema"

bucket = ${bucket}
measurement = ${measurement}
start = 1970-01-01T00:00:00Z
points = from(bucket: bucket)
  |> range(start: start)
  |> filter(fn: (r) => r._measurement == measurement)

schema.measurementTagKeys(bucket: bucket, measurement: measurement, start: start)
  |> yield(name: "tagKeys")
schema.measurementFieldKeys(bucket: bucket, measurement: measurement, start: start)
  |> yield(name: "fieldKeys")
influxdb.cardinality(bucket: bucket, start: start, predicate: (r) => r._measurement == measurement)
  |> yield(name: "seriesCount")
points
  |> first()
  |> group(columns: ["_field"])
  |> sort(columns: ["_time"])
  |> limit(n: 1)
  |> yield(name: "first")
points
  |> last()
  |> group(columns: ["_field"])
  |> sort(columns: ["_time"], desc: true)
  |> limit(n: 1)
  |> yield(name: "last")`;
}

/** Build the Flux that counts the values of each tag key (yields `tag0`, `tag1`, ...) and lists a `unit` tag's values. */
export function tagValuesQuery(
  bucket: string,
  measurement: string,
  tagKeys: string[],
  unitTagKey: string | undefined,
): ParameterizedQuery {
  let query = flux`import "influxdata/influxdb/schema"

bucket = ${bucket}
measurement = ${measurement}
start = 1970-01-01T00:00:00Z
`;

  for (const [index, key] of tagKeys.entries()) {
    query = join(
      query,
      flux`
schema.measurementTagValues(bucket: bucket, measurement: measurement, tag: ${key}, start: start)
  |> count()
  |> yield(name: ${`tag${index}`})`,
    );
  }

  if (unitTagKey !== undefined) {
    query = join(
      query,
      flux`
schema.measurementTagValues(bucket: bucket, measurement: measurement, tag: ${unitTagKey}, start: start)
  |> limit(n: ${UNIT_TAG_VALUE_LIMIT + 1})
  |> yield(name: "unitValues")`,
    );
  }

  return query;
}

/** Concatenate two parameterized queries; each part is already escaped. */
function join(first: ParameterizedQuery, second: ParameterizedQuery): ParameterizedQuery {
  const text = `${first.toString()}${second.toString()}`;
  return { toString: () => text };
}

function readFields(fieldKeys: string[], rows: FluxRow[]): MeasurementField[] {
  const fields = new Map<string, MeasurementField>(
    fieldKeys.map((key) => [key, { key, types: [] }]),
  );

  for (const row of rows) {
    if (row.result !== 'first' && row.result !== 'last') {
      continue;
    }
    const key = row.values._field;
    const type = parseFieldType(row.types._value ?? '');
    if (typeof key !== 'string' || type === undefined) {
      continue;
    }

    const field = fields.get(key) ?? { key, types: [] };
    if (!field.types.includes(type)) {
      field.types.push(type);
    }
    fields.set(key, field);
  }

  return [...fields.values()];
}

function stringValues(rows: FluxRow[], result: string, url: string): string[] {
  return rows
    .filter((row) => row.result === result)
    .map((row) => requireString(row, '_value', url));
}

function requireString(row: FluxRow, column: string, url: string): string {
  const value = row.values[column];
  if (typeof value !== 'string') {
    throw new InfluxHarvestError(
      'invalid-response',
      `InfluxDB at ${url} returned a Flux result "${row.result}" without a string ${column} column; ` +
        'check that the url points at the InfluxDB 2 API and not at a proxy or another service',
      url,
    );
  }
  return value;
}
