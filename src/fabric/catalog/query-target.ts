import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { ObservablePropertyEntity } from '../../catalog/entities/observable-property.entity';
import type { SourceSystemEntity } from '../../catalog/entities/source-system.entity';
import type { InfluxFieldType } from '../../harvest/influx/influx-measurement-dataset';
import type { TableColumnDetails } from '../../harvest/postgres/postgres-table-dataset';
import type {
  InfluxV1SourceConfig,
  InfluxV2SourceConfig,
  PostgresSourceConfig,
} from '../../sources/source-config.types';
import { FabricError } from '../fabric.error';

/** A field of a measurement, as harvested. */
export interface MeasurementFieldSchema {
  name: string;
  types: InfluxFieldType[];
  unit: string | null;
}

/** Where an observation query goes: one measurement of an InfluxDB source. */
export interface MeasurementTarget {
  kind: 'influx-measurement';
  dataset: DatasetEntity;
  source: SourceSystemEntity;
  connection:
    | { api: 'influxql'; config: InfluxV1SourceConfig; database: string; retentionPolicy: string }
    | { api: 'flux'; config: InfluxV2SourceConfig; bucket: string };
  measurement: string;
  fields: Map<string, MeasurementFieldSchema>;
  tagKeys: string[];
}

/** A column of a table, as harvested. */
export interface TableColumnSchema extends TableColumnDetails {
  unit?: string;
}

/** Where a row query goes: one table or view of a PostgreSQL source. */
export interface TableTarget {
  kind: 'postgres-table';
  dataset: DatasetEntity;
  source: SourceSystemEntity;
  config: PostgresSourceConfig;
  schema: string;
  table: string;
  columns: Map<string, TableColumnSchema>;
  primaryKey: string[];
}

export type QueryTarget = MeasurementTarget | TableTarget;

/**
 * Turn a catalogued dataset into a query target from what the harvester
 * recorded: the measurement's fields and tag keys, or the table's columns.
 * Only these names can ever reach a pushed-down query.
 */
export function toQueryTarget(
  dataset: DatasetEntity,
  source: SourceSystemEntity,
  properties: ObservablePropertyEntity[],
): QueryTarget {
  if (dataset.status !== 'active') {
    throw new FabricError(
      'NOT_QUERYABLE',
      `dataset ${dataset.pid} was withdrawn${dataset.withdrawnAt === null ? '' : ` on ${dataset.withdrawnAt.toISOString()}`}; its data can no longer be queried`,
    );
  }
  if (source.status !== 'active') {
    throw new FabricError(
      'NOT_QUERYABLE',
      `the source of dataset ${dataset.pid} (${source.sourceKey}) is no longer configured; ask an admin to add it again`,
    );
  }

  switch (dataset.kind) {
    case 'influx-measurement':
      return measurementTarget(dataset, source, properties);
    case 'postgres-table':
      return tableTarget(dataset, source, properties);
    case 'mqtt-topic':
    case 'opcua-node-group':
      throw new FabricError(
        'NOT_QUERYABLE',
        `dataset ${dataset.pid} is a ${dataset.kind}, which holds live values only; query an InfluxDB measurement or a PostgreSQL table`,
      );
    case 'derived':
      throw new FabricError(
        'NOT_QUERYABLE',
        `dataset ${dataset.pid} is a saved query result: read it with reexecute, or query its input datasets`,
      );
  }
}

function measurementTarget(
  dataset: DatasetEntity,
  source: SourceSystemEntity,
  properties: ObservablePropertyEntity[],
): MeasurementTarget {
  const details = dataset.details as Record<string, unknown>;
  const measurement = stringOf(details.measurement) ?? dataset.title;
  const fieldTypes = recordOf(details.fieldTypes);
  const units = new Map(properties.map((property) => [property.name, property.unit]));

  const fields = new Map<string, MeasurementFieldSchema>();
  for (const [name, types] of Object.entries(fieldTypes)) {
    const list = Array.isArray(types) ? types.filter(isFieldType) : [];
    fields.set(name, { name, types: list, unit: units.get(name) ?? null });
  }
  const tagKeys = arrayOf(details.tagKeys)
    .map((entry) => stringOf(recordOf(entry).key))
    .filter((key): key is string => key !== undefined);

  return {
    kind: 'influx-measurement',
    dataset,
    source,
    connection: influxConnection(dataset, source, details),
    measurement,
    fields,
    tagKeys,
  };
}

function influxConnection(
  dataset: DatasetEntity,
  source: SourceSystemEntity,
  details: Record<string, unknown>,
): MeasurementTarget['connection'] {
  const config = source.config as unknown as InfluxV1SourceConfig | InfluxV2SourceConfig;
  if (config.kind === 'influxdb-v1') {
    const database = stringOf(details.database);
    if (database === undefined) {
      throw notHarvested(dataset, 'database');
    }
    return { api: 'influxql', config, database, retentionPolicy: queryPolicyOf(details) };
  }
  if (config.kind === 'influxdb-v2') {
    const bucket = stringOf(details.bucket);
    if (bucket === undefined) {
      throw notHarvested(dataset, 'bucket');
    }
    return { api: 'flux', config, bucket };
  }
  throw new FabricError(
    'NOT_QUERYABLE',
    `dataset ${dataset.pid} is a measurement but its source ${source.sourceKey} is of kind ${source.kind}`,
  );
}

/**
 * Pick the retention policy to read, as the harvester's access query does:
 * the default one when it holds data, else the first one that does.
 */
function queryPolicyOf(details: Record<string, unknown>): string {
  const policies = arrayOf(details.retentionPolicies).map(recordOf);
  const fallback = stringOf(details.defaultRetentionPolicy) ?? 'autogen';
  const withData = policies.filter((policy) => policy.hasData === true);
  const preferred = withData.find((policy) => policy.default === true) ?? withData[0];
  return stringOf(preferred?.name) ?? fallback;
}

function tableTarget(
  dataset: DatasetEntity,
  source: SourceSystemEntity,
  properties: ObservablePropertyEntity[],
): TableTarget {
  const details = dataset.details as Record<string, unknown>;
  const config = source.config as unknown as PostgresSourceConfig;
  const schema = stringOf(details.schema);
  const table = stringOf(details.table);
  if (config.kind !== 'postgresql' || schema === undefined || table === undefined) {
    throw notHarvested(dataset, 'schema and table');
  }

  const units = new Map(properties.map((property) => [property.name, property.unit]));
  const columns = new Map<string, TableColumnSchema>();
  for (const entry of arrayOf(details.columns)) {
    const column = recordOf(entry);
    const name = stringOf(column.name);
    if (name === undefined) {
      continue;
    }
    const unit = stringOf(column.unit) ?? units.get(name) ?? undefined;
    columns.set(name, {
      name,
      position: Number(column.position ?? 0),
      sqlType: stringOf(column.sqlType) ?? 'text',
      xsdType: stringOf(column.xsdType) ?? 'xsd:string',
      nullable: column.nullable !== false,
      ...(unit === undefined || unit === null ? {} : { unit }),
    });
  }

  return {
    kind: 'postgres-table',
    dataset,
    source,
    config,
    schema,
    table,
    columns,
    primaryKey: arrayOf(details.primaryKey).filter((key): key is string => typeof key === 'string'),
  };
}

function notHarvested(dataset: DatasetEntity, what: string): FabricError {
  return new FabricError(
    'NOT_QUERYABLE',
    `dataset ${dataset.pid} has no ${what} in its harvested details; harvest its source again`,
  );
}

function isFieldType(value: unknown): value is InfluxFieldType {
  return ['float', 'integer', 'unsigned', 'string', 'boolean'].includes(String(value));
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}
