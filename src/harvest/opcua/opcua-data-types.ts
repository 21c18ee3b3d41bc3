import type { ValueDatatype } from '../harvest.types';
import { OPCUA_BASE_NAMESPACE_URI, formatUriNodeId } from './opcua-node-id';

/** Shape of a DataType's values: a built-in scalar, an enumeration, or a structure. */
export type DataTypeShape = 'built-in' | 'enumeration' | 'structure' | 'unknown';

/** Facts Weft records about a variable's DataType. */
export interface DataTypeClassification {
  /** XSD (or rdf:JSON) datatype of the values; undefined when the DataType could not be resolved. */
  datatype?: ValueDatatype;
  shape: DataTypeShape;
  /** Name of the OPC UA built-in type the DataType derives from (`Double`, `String`). */
  builtInType?: string;
}

interface BaseTypeEntry {
  name: string;
  datatype: ValueDatatype;
  shape: Exclude<DataTypeShape, 'unknown'>;
}

function entry(
  name: string,
  datatype: ValueDatatype,
  shape: BaseTypeEntry['shape'] = 'built-in',
): BaseTypeEntry {
  return { name, datatype, shape };
}

/**
 * The built-in types of OPC UA Part 6 (numeric NodeIds 1 to 29 in namespace
 * 0) and the namespace 0 subtypes that servers use most, each mapped to
 * the XSD type of its values. Text-like types (QualifiedName,
 * LocalizedText, NodeId) map to xsd:string; containers and structures whose
 * values are objects map to rdf:JSON. Enumerations travel as Int32.
 */
const BASE_TYPES = new Map<number, BaseTypeEntry>([
  [1, entry('Boolean', 'xsd:boolean')],
  [2, entry('SByte', 'xsd:integer')],
  [3, entry('Byte', 'xsd:integer')],
  [4, entry('Int16', 'xsd:integer')],
  [5, entry('UInt16', 'xsd:integer')],
  [6, entry('Int32', 'xsd:integer')],
  [7, entry('UInt32', 'xsd:integer')],
  [8, entry('Int64', 'xsd:integer')],
  [9, entry('UInt64', 'xsd:integer')],
  [10, entry('Float', 'xsd:double')],
  [11, entry('Double', 'xsd:double')],
  [12, entry('String', 'xsd:string')],
  [13, entry('DateTime', 'xsd:dateTime')],
  [14, entry('Guid', 'xsd:string')],
  [15, entry('ByteString', 'xsd:base64Binary')],
  [16, entry('XmlElement', 'xsd:string')],
  [17, entry('NodeId', 'xsd:string')],
  [18, entry('ExpandedNodeId', 'xsd:string')],
  [19, entry('StatusCode', 'xsd:integer')],
  [20, entry('QualifiedName', 'xsd:string')],
  [21, entry('LocalizedText', 'xsd:string')],
  [22, entry('Structure', 'rdf:JSON', 'structure')],
  [23, entry('DataValue', 'rdf:JSON')],
  [24, entry('BaseDataType', 'rdf:JSON')],
  [25, entry('DiagnosticInfo', 'rdf:JSON')],
  [26, entry('Number', 'xsd:double')],
  [27, entry('Integer', 'xsd:integer')],
  [28, entry('UInteger', 'xsd:integer')],
  [29, entry('Enumeration', 'xsd:integer', 'enumeration')],
  [30, entry('ByteString', 'xsd:base64Binary')],
  [288, entry('UInt32', 'xsd:integer')],
  [289, entry('UInt32', 'xsd:integer')],
  [290, entry('Double', 'xsd:double')],
  [291, entry('String', 'xsd:string')],
  [292, entry('String', 'xsd:string')],
  [293, entry('DateTime', 'xsd:dateTime')],
  [294, entry('DateTime', 'xsd:dateTime')],
  [295, entry('String', 'xsd:string')],
  [311, entry('ByteString', 'xsd:base64Binary')],
  [2000, entry('ByteString', 'xsd:base64Binary')],
  [2001, entry('ByteString', 'xsd:base64Binary')],
  [2002, entry('ByteString', 'xsd:base64Binary')],
  [2003, entry('ByteString', 'xsd:base64Binary')],
  [11737, entry('UInt64', 'xsd:integer')],
  [12877, entry('String', 'xsd:string')],
  [12878, entry('String', 'xsd:string')],
  [12879, entry('String', 'xsd:string')],
  [12880, entry('String', 'xsd:string')],
  [12881, entry('String', 'xsd:string')],
  [16307, entry('ByteString', 'xsd:base64Binary')],
  [120, entry('Enumeration', 'xsd:integer', 'enumeration')],
  [256, entry('Enumeration', 'xsd:integer', 'enumeration')],
  [257, entry('Enumeration', 'xsd:integer', 'enumeration')],
  [302, entry('Enumeration', 'xsd:integer', 'enumeration')],
  [303, entry('Enumeration', 'xsd:integer', 'enumeration')],
  [307, entry('Enumeration', 'xsd:integer', 'enumeration')],
  [852, entry('Enumeration', 'xsd:integer', 'enumeration')],
  [296, entry('Structure', 'rdf:JSON', 'structure')],
  [338, entry('Structure', 'rdf:JSON', 'structure')],
  [862, entry('Structure', 'rdf:JSON', 'structure')],
  [884, entry('Structure', 'rdf:JSON', 'structure')],
  [887, entry('Structure', 'rdf:JSON', 'structure')],
  [7594, entry('Structure', 'rdf:JSON', 'structure')],
]);

/** Maximum supertype chain length followed; real type trees are a few levels deep, so this only stops cycles. */
const MAX_SUPERTYPE_DEPTH = 32;

/** Return the table entry of a namespace 0 DataType, when the NodeId names one. */
function baseTypeOf(dataType: string): BaseTypeEntry | undefined {
  const prefix = `nsu=${OPCUA_BASE_NAMESPACE_URI};i=`;
  if (!dataType.startsWith(prefix)) {
    return undefined;
  }

  return BASE_TYPES.get(Number(dataType.slice(prefix.length)));
}

/**
 * Classify a DataType (a NodeId in `nsu=` form) by following its HasSubtype
 * chain until a type of the table above. `supertypeOf` returns the
 * supertype of a DataType the caller knows (from a NodeSet or a server);
 * an unresolvable chain yields shape `unknown` and no datatype.
 */
export function classifyDataType(
  dataType: string,
  supertypeOf: (dataType: string) => string | undefined,
): DataTypeClassification {
  let current: string | undefined = dataType;

  for (let depth = 0; current !== undefined && depth < MAX_SUPERTYPE_DEPTH; depth += 1) {
    const base = baseTypeOf(current);
    if (base !== undefined) {
      return { datatype: base.datatype, shape: base.shape, builtInType: base.name };
    }
    current = supertypeOf(current);
  }

  return { shape: 'unknown' };
}

/** Return the `nsu=` NodeId of a namespace 0 DataType, e.g. 12 for String. */
export function baseDataTypeNodeId(numericId: number): string {
  return formatUriNodeId({
    namespaceUri: OPCUA_BASE_NAMESPACE_URI,
    identifierType: 'i',
    identifier: String(numericId),
  });
}

/** Check whether the table classifies a DataType without a supertype lookup. */
export function isKnownBaseDataType(dataType: string): boolean {
  return baseTypeOf(dataType) !== undefined;
}
