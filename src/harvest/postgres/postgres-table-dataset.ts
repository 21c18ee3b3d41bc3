import type { HarvestedDataset, HarvestedProperty } from '../harvest.types';
import type {
  PostgresColumn,
  PostgresRelation,
  RelationKind,
  TimeColumnRange,
} from './postgres-catalog.reader';
import { qualifiedTable } from './postgres-quote';

/** Column facts kept in a dataset's details; the fabric types query results from them. */
export interface TableColumnDetails {
  name: string;
  position: number;
  sqlType: string;
  xsdType: string;
  nullable: boolean;
  unit?: string;
  comment?: string;
}

/** Everything a `postgres-table` dataset stores in `details`. */
export interface PostgresTableDetails {
  database: string;
  schema: string;
  table: string;
  relationKind: RelationKind;
  columns: TableColumnDetails[];
  primaryKey: string[];
  foreignKeys: Array<{
    name: string;
    columns: string[];
    referencedSchema: string;
    referencedTable: string;
    referencedColumns: string[];
    /** Natural key of the referenced table's dataset in the same source. */
    referencedDatasetKey: string;
  }>;
  estimatedRowCount?: number;
  timeColumns: TimeColumnRange[];
}

export interface TableDatasetInput {
  database: string;
  relation: PostgresRelation;
  timeRanges: TimeColumnRange[];
  /** `postgres://host:5432/database` without credentials. */
  serverUrl: string;
  place?: string;
}

const KIND_LABELS: Record<RelationKind, string> = {
  table: 'table',
  'partitioned-table': 'partitioned table',
  view: 'view',
  'materialized-view': 'materialized view',
  'foreign-table': 'foreign table',
};

/**
 * Write a dataset key `<database>/<schema>.<table>`. Each part may itself
 * contain `/` or `.`, so `%`, `/` and `.` inside a part are percent-encoded,
 * and no two tables share a key.
 */
export function tableDatasetKey(database: string, schema: string, table: string): string {
  return `${encodeKeyPart(database)}/${encodeKeyPart(schema)}.${encodeKeyPart(table)}`;
}

/** Build the catalog dataset of one table or view. */
export function buildTableDataset(input: TableDatasetInput): HarvestedDataset {
  const { relation } = input;
  const kindLabel = KIND_LABELS[relation.kind];
  const qualified = `${relation.schema}.${relation.name}`;

  const description =
    relation.comment ??
    `PostgreSQL ${kindLabel} ${qualifiedTable(relation.schema, relation.name)} in database ` +
      `"${input.database}" on ${input.serverUrl}, with ${countOf(relation.columns.length, 'column')}.`;

  const keywords = new Set<string>(['PostgreSQL', relation.name, relation.schema, kindLabel]);
  const properties = relation.columns.map(toProperty);
  for (const property of properties) {
    if (property.quantityKind !== undefined) {
      keywords.add(property.quantityKind);
    }
  }

  const dataset: HarvestedDataset = {
    key: tableDatasetKey(input.database, relation.schema, relation.name),
    kind: 'postgres-table',
    title: qualified,
    description,
    keywords: [...keywords],
    properties,
    distributions: [
      {
        key: 'sql',
        title: 'SQL over the PostgreSQL protocol',
        accessUrl: input.serverUrl,
        mediaType: 'application/sql',
        format: 'SQL',
        accessQuery: `SELECT * FROM ${qualifiedTable(relation.schema, relation.name)} LIMIT 100`,
        description:
          `Connect to database "${input.database}" with a PostgreSQL client and a read-only role, ` +
          'then run the access query.',
      },
    ],
    details: detailsOf(input),
  };

  if (input.place !== undefined) {
    dataset.place = input.place;
  }
  const temporal = temporalOf(input.timeRanges);
  if (temporal !== undefined) {
    dataset.temporal = temporal;
  }
  return dataset;
}

function detailsOf(input: TableDatasetInput): Record<string, unknown> {
  const { relation } = input;
  const details: PostgresTableDetails = {
    database: input.database,
    schema: relation.schema,
    table: relation.name,
    relationKind: relation.kind,
    columns: relation.columns.map(columnDetails),
    primaryKey: relation.primaryKey,
    foreignKeys: relation.foreignKeys.map((foreignKey) => ({
      ...foreignKey,
      referencedDatasetKey: tableDatasetKey(
        input.database,
        foreignKey.referencedSchema,
        foreignKey.referencedTable,
      ),
    })),
    timeColumns: input.timeRanges,
  };
  if (relation.estimatedRowCount !== undefined) {
    details.estimatedRowCount = relation.estimatedRowCount;
  }
  return { ...details };
}

function columnDetails(column: PostgresColumn): TableColumnDetails {
  const details: TableColumnDetails = {
    name: column.name,
    position: column.position,
    sqlType: column.sqlType,
    xsdType: column.xsdType,
    nullable: column.nullable,
  };
  if (column.unit !== undefined) {
    details.unit = column.unit;
  }
  if (column.comment !== undefined) {
    details.comment = column.comment;
  }
  return details;
}

function toProperty(column: PostgresColumn): HarvestedProperty {
  const property: HarvestedProperty = { name: column.name, datatypes: [column.datatype] };
  if (column.comment !== undefined) {
    property.description = column.comment;
  }
  if (column.unit !== undefined) {
    property.unit = column.unit;
  }
  if (column.unitSourceText !== undefined) {
    property.unitSourceText = column.unitSourceText;
  }
  if (column.quantityKind !== undefined) {
    property.quantityKind = column.quantityKind;
  }
  if (column.enumValues !== undefined) {
    property.enumValues = column.enumValues;
  }
  return property;
}

/** The span from the earliest to the latest value over all time columns; a date counts as its midnight in UTC. */
function temporalOf(ranges: TimeColumnRange[]): HarvestedDataset['temporal'] {
  const starts = ranges.flatMap((range) => (range.min === undefined ? [] : [range.min]));
  const ends = ranges.flatMap((range) => (range.max === undefined ? [] : [range.max]));
  const instants = (values: string[]): number[] =>
    values.map((value) => Date.parse(value)).filter((value) => Number.isFinite(value));

  const startTimes = instants(starts);
  const endTimes = instants(ends);
  if (startTimes.length === 0 && endTimes.length === 0) {
    return undefined;
  }

  const temporal: NonNullable<HarvestedDataset['temporal']> = {};
  if (startTimes.length > 0) {
    temporal.start = new Date(Math.min(...startTimes)).toISOString();
  }
  if (endTimes.length > 0) {
    temporal.end = new Date(Math.max(...endTimes)).toISOString();
  }
  return temporal;
}

function encodeKeyPart(part: string): string {
  return part.replace(/%/g, '%25').replace(/\//g, '%2F').replace(/\./g, '%2E');
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
