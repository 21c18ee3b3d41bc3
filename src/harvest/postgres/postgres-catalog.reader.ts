import type { Client } from 'pg';

import { normalizeUnit, quantityKindFromName } from '../../units/units';
import type { ValueDatatype } from '../harvest.types';
import { qualifiedTable, quoteIdent } from './postgres-quote';
import { mapColumnType } from './postgres-types';

/** Kind of a relation, from `pg_class.relkind`. */
export type RelationKind =
  'table' | 'partitioned-table' | 'view' | 'materialized-view' | 'foreign-table';

/** One column as the harvester read it from pg_attribute and pg_type. */
export interface PostgresColumn {
  name: string;
  /** 1-based position in the table (`attnum`). */
  position: number;
  /** The type as PostgreSQL writes it (`numeric(6,2)`, `timestamp with time zone`). */
  sqlType: string;
  /** Precise datatype of the values (`xsd:decimal`, `xsd:dateTimeStamp`). */
  xsdType: string;
  /** The closest catalog property datatype. */
  datatype: ValueDatatype;
  nullable: boolean;
  /** True for timestamp, timestamptz and date columns. */
  isTime: boolean;
  comment?: string;
  /** UCUM code found in the comment (`Temperature [Cel]`). */
  unit?: string;
  unitSourceText?: string;
  quantityKind?: string;
  /** Labels of an enum type, in their sort order. */
  enumValues?: string[];
}

export interface PostgresForeignKey {
  name: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
}

/** Earliest and latest value of a time column, as RFC 3339 text. */
export interface TimeColumnRange {
  name: string;
  sqlType: string;
  min?: string;
  max?: string;
}

/** One table or view of a harvested schema. */
export interface PostgresRelation {
  oid: string;
  schema: string;
  name: string;
  kind: RelationKind;
  comment?: string;
  /** `pg_class.reltuples`: the planner's estimate, absent for views and never-analysed tables. */
  estimatedRowCount?: number;
  /** Whether the connected role has SELECT on it. */
  readable: boolean;
  /** Whether the connected role could change it (INSERT, UPDATE or DELETE), which a read-only role should not. */
  writable: boolean;
  columns: PostgresColumn[];
  primaryKey: string[];
  foreignKeys: PostgresForeignKey[];
}

/** Existence and usability of a configured schema, from `pg_namespace`. */
export interface SchemaAccess {
  name: string;
  exists: boolean;
  usable: boolean;
}

interface RelationRow {
  oid: string;
  schema: string;
  name: string;
  relkind: string;
  comment: string | null;
  reltuples: number;
  readable: boolean;
  writable: boolean;
}

interface ColumnRow {
  oid: string;
  name: string;
  position: number;
  sql_type: string;
  type_name: string;
  category: string;
  not_null: boolean;
  comment: string | null;
  enum_values: string[] | null;
}

interface ConstraintRow {
  oid: string;
  kind: 'p' | 'f';
  name: string;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
}

const RELATION_KINDS: Record<string, RelationKind> = {
  r: 'table',
  p: 'partitioned-table',
  v: 'view',
  m: 'materialized-view',
  f: 'foreign-table',
};

// Partitions are left out: their partitioned table is the dataset.
const RELATIONS_SQL = `
SELECT c.oid::text AS oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS relkind,
       obj_description(c.oid, 'pg_class') AS comment, c.reltuples::float8 AS reltuples,
       has_table_privilege(c.oid, 'SELECT') AS readable,
       has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE') AS writable
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ANY($1::text[])
   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND NOT c.relispartition
 ORDER BY n.nspname, c.relname
 LIMIT $2`;

// A domain is described by its base type, so a domain over numeric maps like numeric.
const COLUMNS_SQL = `
SELECT a.attrelid::text AS oid, a.attname::text AS name, a.attnum::int AS position,
       format_type(a.atttypid, a.atttypmod) AS sql_type,
       COALESCE(bt.typname, t.typname)::text AS type_name,
       COALESCE(bt.typcategory, t.typcategory)::text AS category,
       a.attnotnull AS not_null,
       col_description(a.attrelid, a.attnum) AS comment,
       CASE WHEN COALESCE(bt.typtype, t.typtype) = 'e' THEN
         ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                WHERE e.enumtypid = COALESCE(bt.oid, t.oid) ORDER BY e.enumsortorder)
       END AS enum_values
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
 WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum`;

const CONSTRAINTS_SQL = `
SELECT con.conrelid::text AS oid, con.contype::text AS kind, con.conname::text AS name,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
              ORDER BY k.ord) AS columns,
       fn.nspname::text AS ref_schema, fc.relname::text AS ref_table,
       CASE WHEN con.contype = 'f' THEN
         ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
                ORDER BY k.ord)
       END AS ref_columns
  FROM pg_catalog.pg_constraint con
  LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
 WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'f')
 ORDER BY con.conrelid, con.conname`;

/** Reads tables, views, columns, keys and time ranges from the system catalogs. */
export class PostgresCatalogReader {
  constructor(private readonly client: Client) {}

  /** Tell which configured schemas exist and which the role may use. */
  async checkSchemas(schemas: string[]): Promise<SchemaAccess[]> {
    const result = await this.client.query<{ name: string; usable: boolean }>(
      `SELECT nspname::text AS name, has_schema_privilege(oid, 'USAGE') AS usable
         FROM pg_catalog.pg_namespace WHERE nspname = ANY($1::text[])`,
      [schemas],
    );
    return schemas.map((name) => {
      const row = result.rows.find((candidate) => candidate.name === name);
      return { name, exists: row !== undefined, usable: row?.usable ?? false };
    });
  }

  /**
   * Read up to `limit` relations of the schemas with their columns and keys.
   * `truncated` is true when the schemas hold more.
   */
  async readRelations(
    schemas: string[],
    limit: number,
  ): Promise<{ relations: PostgresRelation[]; truncated: boolean }> {
    const relationRows = (await this.client.query<RelationRow>(RELATIONS_SQL, [schemas, limit + 1]))
      .rows;
    const truncated = relationRows.length > limit;
    const kept = relationRows.slice(0, limit);
    const oids = kept.map((row) => row.oid);

    const columnRows = (await this.client.query<ColumnRow>(COLUMNS_SQL, [oids])).rows;
    const constraintRows = (await this.client.query<ConstraintRow>(CONSTRAINTS_SQL, [oids])).rows;

    const relations = kept.map((row) =>
      toRelation(
        row,
        columnRows.filter((column) => column.oid === row.oid),
        constraintRows.filter((constraint) => constraint.oid === row.oid),
      ),
    );
    return { relations, truncated };
  }

  /**
   * Read the earliest and latest value of each time column with one
   * statement per relation. PostgreSQL reads min and max from a B-tree
   * index when the column has one, and scans the table otherwise; the
   * session's statement timeout bounds that scan.
   */
  async readTimeRanges(relation: PostgresRelation): Promise<TimeColumnRange[]> {
    const timeColumns = relation.columns.filter((column) => column.isTime);
    if (timeColumns.length === 0) {
      return [];
    }

    const selections = timeColumns.flatMap((column, index) => [
      `min(${quoteIdent(column.name)})::text AS min_${index}`,
      `max(${quoteIdent(column.name)})::text AS max_${index}`,
    ]);
    const result = await this.client.query<Record<string, string | null>>(
      `SELECT ${selections.join(', ')} FROM ${qualifiedTable(relation.schema, relation.name)}`,
    );
    const row = result.rows[0] ?? {};

    return timeColumns.map((column, index) => {
      const range: TimeColumnRange = { name: column.name, sqlType: column.sqlType };
      const min = row[`min_${index}`];
      const max = row[`max_${index}`];
      if (min !== null && min !== undefined) {
        range.min = timeText(min, column.xsdType);
      }
      if (max !== null && max !== undefined) {
        range.max = timeText(max, column.xsdType);
      }
      return range;
    });
  }
}

function toRelation(
  row: RelationRow,
  columnRows: ColumnRow[],
  constraintRows: ConstraintRow[],
): PostgresRelation {
  const kind = RELATION_KINDS[row.relkind] ?? 'table';
  const relation: PostgresRelation = {
    oid: row.oid,
    schema: row.schema,
    name: row.name,
    kind,
    readable: row.readable,
    writable: row.writable,
    columns: columnRows.map(toColumn),
    primaryKey: constraintRows.find((constraint) => constraint.kind === 'p')?.columns ?? [],
    foreignKeys: constraintRows
      .filter((constraint) => constraint.kind === 'f')
      .map((constraint) => ({
        name: constraint.name,
        columns: constraint.columns,
        referencedSchema: constraint.ref_schema ?? '',
        referencedTable: constraint.ref_table ?? '',
        referencedColumns: constraint.ref_columns ?? [],
      })),
  };

  if (row.comment !== null && row.comment.trim() !== '') {
    relation.comment = row.comment.trim();
  }
  // reltuples is -1 before the first VACUUM or ANALYZE (PostgreSQL 14 and later), and means nothing for a view.
  const storesRows = kind !== 'view' && kind !== 'foreign-table';
  if (storesRows && row.reltuples >= 0) {
    relation.estimatedRowCount = Math.round(row.reltuples);
  }
  return relation;
}

function toColumn(row: ColumnRow): PostgresColumn {
  const mapping = mapColumnType({ typeName: row.type_name, category: row.category });
  const column: PostgresColumn = {
    name: row.name,
    position: row.position,
    sqlType: row.sql_type,
    xsdType: mapping.xsdType,
    datatype: mapping.datatype,
    nullable: !row.not_null,
    isTime: mapping.isTime,
  };

  if (row.comment !== null && row.comment.trim() !== '') {
    column.comment = row.comment.trim();
  }
  if (row.enum_values !== null) {
    column.enumValues = row.enum_values.slice(0, 20);
  }

  const unitText = column.comment === undefined ? undefined : unitInComment(column.comment);
  const unit = normalizeUnit(unitText);
  if (unitText !== undefined && unit !== undefined) {
    column.unit = unit.ucum;
    column.unitSourceText = unitText;
  }
  const quantityKind = unit?.quantityKind ?? quantityKindFromName(row.name);
  if (quantityKind !== undefined && mapping.datatype !== 'xsd:string') {
    column.quantityKind = quantityKind;
  }
  return column;
}

/**
 * Find a unit that a column comment states at its end, in square brackets
 * or parentheses (`Reactor temperature [°C]`, `Power (W)`), or after
 * `unit:` (`unit: kWh`).
 */
export function unitInComment(comment: string): string | undefined {
  const bracketed = /[[(]\s*([^\])]{1,20}?)\s*[\])]\s*\.?$/.exec(comment);
  if (bracketed !== null) {
    return bracketed[1];
  }
  const labelled = /\bunit:\s*(\S{1,20})/i.exec(comment);
  return labelled === null ? undefined : labelled[1];
}

/** Dates stay `YYYY-MM-DD`; timestamps become RFC 3339 with `T` (and `Z` for timestamptz in UTC). */
function timeText(text: string, xsdType: string): string {
  if (xsdType === 'xsd:date') {
    return text;
  }
  const withT = text.replace(' ', 'T');
  return xsdType === 'xsd:dateTimeStamp' ? withT.replace(/\+00(:00)?$/, 'Z') : withT;
}
