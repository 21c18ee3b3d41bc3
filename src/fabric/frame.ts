/** A JSON value in a result row: numbers, strings (timestamps as RFC 3339), booleans or null. */
export type CellValue =
  string | number | boolean | null | CellValue[] | { [key: string]: CellValue };

/** What a column of a result holds. */
export type ColumnRole = 'time' | 'field' | 'tag' | 'column';

/** One column of a result frame, typed from the harvested schema. */
export interface FrameColumn {
  name: string;
  /** XSD datatype of the values (`xsd:double`, `xsd:dateTimeStamp`, `xsd:string`). */
  datatype: string;
  /** UCUM code of the values' unit, when the catalog knows it. */
  unit: string | null;
  role: ColumnRole;
}

/** A page of tabular results. */
export interface Frame {
  columns: FrameColumn[];
  rows: CellValue[][];
}

/** The statement a source ran for a query, recorded in its provenance. */
export interface PushedDownQuery {
  /** Persistent identifier of the source that ran it. */
  sourcePid: string;
  language: 'InfluxQL' | 'Flux' | 'SQL';
  statement: string;
  /** Bound parameter values, by name (`$from`, `params.from`) or position (`$1`). */
  params: Record<string, unknown>;
  /** Rows the source returned for it. */
  rowCount: number;
}
