import type { ValueDatatype } from '../harvest.types';

/**
 * How a PostgreSQL column type is described in the catalog: the precise XSD
 * datatype for query results, and the coarser datatype the catalog's
 * properties use (which has no xsd:decimal, xsd:date or xsd:time).
 */
export interface ColumnTypeMapping {
  /** XSD or RDF datatype of the values (`xsd:decimal`, `xsd:date`, `rdf:JSON`). */
  xsdType: string;
  /** The closest datatype among the catalog's property datatypes. */
  datatype: ValueDatatype;
  /** True for timestamp, timestamptz and date columns, whose range the harvester reads. */
  isTime: boolean;
}

/** Facts about a column type as pg_type gives them. */
export interface ColumnTypeFacts {
  /** `typname` of the type, or of its base type for a domain (`int4`, `timestamptz`). */
  typeName: string;
  /** `typcategory`: `A` array, `E` enum, and so on. */
  category: string;
}

const BY_TYPE_NAME: Record<string, Omit<ColumnTypeMapping, 'isTime'>> = {
  bool: { xsdType: 'xsd:boolean', datatype: 'xsd:boolean' },
  int2: { xsdType: 'xsd:short', datatype: 'xsd:integer' },
  int4: { xsdType: 'xsd:int', datatype: 'xsd:integer' },
  int8: { xsdType: 'xsd:long', datatype: 'xsd:integer' },
  float4: { xsdType: 'xsd:float', datatype: 'xsd:double' },
  float8: { xsdType: 'xsd:double', datatype: 'xsd:double' },
  // NOTE: numeric values reach clients as JSON numbers, so digits beyond a
  // double's precision are lost; xsd:decimal records what the source holds.
  numeric: { xsdType: 'xsd:decimal', datatype: 'xsd:double' },
  money: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  text: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  varchar: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  bpchar: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  name: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  citext: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  uuid: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  inet: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  cidr: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  macaddr: { xsdType: 'xsd:string', datatype: 'xsd:string' },
  xml: { xsdType: 'rdf:XMLLiteral', datatype: 'xsd:string' },
  timestamptz: { xsdType: 'xsd:dateTimeStamp', datatype: 'xsd:dateTime' },
  timestamp: { xsdType: 'xsd:dateTime', datatype: 'xsd:dateTime' },
  date: { xsdType: 'xsd:date', datatype: 'xsd:string' },
  time: { xsdType: 'xsd:time', datatype: 'xsd:string' },
  timetz: { xsdType: 'xsd:time', datatype: 'xsd:string' },
  interval: { xsdType: 'xsd:duration', datatype: 'xsd:string' },
  bytea: { xsdType: 'xsd:base64Binary', datatype: 'xsd:base64Binary' },
  json: { xsdType: 'rdf:JSON', datatype: 'rdf:JSON' },
  jsonb: { xsdType: 'rdf:JSON', datatype: 'rdf:JSON' },
};

const TIME_TYPES = new Set(['timestamptz', 'timestamp', 'date']);

/** Map a column type to its datatypes; unknown types (geometry, ranges) are described as strings. */
export function mapColumnType(facts: ColumnTypeFacts): ColumnTypeMapping {
  if (facts.category === 'A') {
    return { xsdType: 'rdf:JSON', datatype: 'rdf:JSON', isTime: false };
  }
  if (facts.category === 'E') {
    return { xsdType: 'xsd:string', datatype: 'xsd:string', isTime: false };
  }

  const known = BY_TYPE_NAME[facts.typeName];
  if (known === undefined) {
    return { xsdType: 'xsd:string', datatype: 'xsd:string', isTime: false };
  }
  return { ...known, isTime: TIME_TYPES.has(facts.typeName) };
}

/** True for the numeric types that aggregate functions accept. */
export function isNumericXsdType(xsdType: string): boolean {
  return ['xsd:short', 'xsd:int', 'xsd:long', 'xsd:float', 'xsd:double', 'xsd:decimal'].includes(
    xsdType,
  );
}
