/**
 * Decoding of the AccessLevel, UserAccessLevel and AccessLevelEx attributes
 * (OPC UA Part 3, 5.6.2, bit layout of AccessLevelType and
 * AccessLevelExType), and names of the standard ModellingRule objects.
 */

/** AccessLevel a NodeSet2 file implies when a UAVariable has no AccessLevel attribute (UANodeSet.xsd default). */
export const NODESET_DEFAULT_ACCESS_LEVEL = 1;

const ACCESS_LEVEL_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'CurrentRead'],
  [0x0002, 'CurrentWrite'],
  [0x0004, 'HistoryRead'],
  [0x0008, 'HistoryWrite'],
  [0x0010, 'SemanticChange'],
  [0x0020, 'StatusWrite'],
  [0x0040, 'TimestampWrite'],
  [0x0100, 'NonatomicRead'],
  [0x0200, 'NonatomicWrite'],
  [0x0400, 'WriteFullArrayOnly'],
  [0x0800, 'NoSubDataTypes'],
  [0x1000, 'NonVolatile'],
  [0x2000, 'Constant'],
];

/** Name the bits set in an access level, e.g. 3 gives `['CurrentRead', 'CurrentWrite']`. */
export function decodeAccessLevel(bits: number): string[] {
  const names: string[] = [];

  for (const [mask, name] of ACCESS_LEVEL_BITS) {
    if ((bits & mask) !== 0) {
      names.push(name);
    }
  }

  return names;
}

/** ModellingRule objects of namespace 0 (OPC UA Part 3, ModellingRules) by numeric NodeId. */
const MODELLING_RULES = new Map<number, string>([
  [78, 'Mandatory'],
  [79, 'MandatoryShared'],
  [80, 'Optional'],
  [83, 'ExposesItsArray'],
  [11508, 'OptionalPlaceholder'],
  [11510, 'MandatoryPlaceholder'],
]);

/** Name a namespace 0 ModellingRule by its numeric identifier; undefined for others. */
export function modellingRuleName(numericId: number): string | undefined {
  return MODELLING_RULES.get(numericId);
}
