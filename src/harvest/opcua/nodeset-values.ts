import type { EngineeringUnitsModel, RangeModel } from './opcua-node-model';
import { asElement, textOf } from './nodeset-xml.reader';

/**
 * Decoding of `<Value>` elements of a NodeSet2 file (the XML encoding of
 * OPC UA Part 6): the EUInformation and Range extension objects behind
 * EngineeringUnits and EURange, and simple scalars kept as declared values.
 */

/** Maps a file-local namespace index to its URI, or undefined for an index outside the file's table. */
export type NamespaceLookup = (namespaceIndex: number) => string | undefined;

/** Decode the EUInformation body of an EngineeringUnits value. */
export function decodeEuInformation(value: unknown): EngineeringUnitsModel | undefined {
  const body = extensionObjectBody(value, 'EUInformation');
  if (body === undefined) {
    return undefined;
  }

  const units: EngineeringUnitsModel = {};
  const namespaceUri = textOf(body['NamespaceUri']);
  const unitId = numberOf(body['UnitId']);
  const displayName = textOf(asElement(body['DisplayName'])?.['Text']);
  const description = textOf(asElement(body['Description'])?.['Text']);

  if (namespaceUri !== undefined) units.namespaceUri = namespaceUri;
  if (unitId !== undefined) units.unitId = unitId;
  if (displayName !== undefined) units.displayName = displayName;
  if (description !== undefined) units.description = description;

  return units;
}

/** Decode the Range body of an EURange or InstrumentRange value. */
export function decodeRange(value: unknown): RangeModel | undefined {
  const body = extensionObjectBody(value, 'Range');
  if (body === undefined) {
    return undefined;
  }

  const low = numberOf(body['Low']);
  const high = numberOf(body['High']);
  return low === undefined || high === undefined ? undefined : { low, high };
}

/**
 * Decode a scalar `<Value>` into JSON: numbers, booleans, strings,
 * DateTime text, LocalizedText as its text, and QualifiedName with its
 * namespace index mapped to a URI. Arrays and structures give undefined.
 */
export function decodeScalarValue(value: unknown, namespaceOf: NamespaceLookup): unknown {
  const element = asElement(value);
  if (element === undefined) {
    return undefined;
  }

  const [tag] = Object.keys(element).filter((key) => !key.startsWith('@') && key !== '#text');
  if (tag === undefined) {
    return undefined;
  }

  return decodeTypedScalar(tag, element[tag], namespaceOf);
}

function decodeTypedScalar(tag: string, content: unknown, namespaceOf: NamespaceLookup): unknown {
  switch (tag) {
    case 'Boolean':
      return textOf(content) === 'true';
    case 'SByte':
    case 'Byte':
    case 'Int16':
    case 'UInt16':
    case 'Int32':
    case 'UInt32':
    case 'Float':
    case 'Double':
      return numberOf(content);
    case 'Int64':
    case 'UInt64':
    case 'String':
    case 'DateTime':
    case 'Guid':
      // 64-bit integers stay text so no digit is lost in a JavaScript number.
      return textOf(content);
    case 'LocalizedText':
      return textOf(asElement(content)?.['Text']);
    case 'QualifiedName':
      return decodeQualifiedName(content, namespaceOf);
    default:
      return undefined;
  }
}

function decodeQualifiedName(content: unknown, namespaceOf: NamespaceLookup): unknown {
  const element = asElement(content);
  const name = textOf(element?.['Name']);
  if (name === undefined) {
    return undefined;
  }

  const index = numberOf(element?.['NamespaceIndex']) ?? 0;
  const namespaceUri = namespaceOf(index);
  return namespaceUri === undefined ? { namespaceIndex: index, name } : { namespaceUri, name };
}

/** Return the body element of an `<ExtensionObject>` whose body is `<bodyName>`. */
function extensionObjectBody(
  value: unknown,
  bodyName: string,
): Record<string, unknown> | undefined {
  const extensionObject = asElement(asElement(value)?.['ExtensionObject']);
  const body = asElement(extensionObject?.['Body']);
  return asElement(body?.[bodyName]);
}

function numberOf(value: unknown): number | undefined {
  const text = textOf(value);
  if (text === undefined) {
    return undefined;
  }

  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}
