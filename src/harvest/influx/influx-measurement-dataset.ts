import type {
  HarvestedDataset,
  HarvestedDistribution,
  HarvestedProperty,
  ValueDatatype,
} from '../harvest.types';
import { inferFieldUnit, quantityKindFromFieldKey } from './influx-field-units';
import type { FieldUnitOrigin } from './influx-field-units';

/** InfluxDB field types, as InfluxQL names them (`SHOW FIELD KEYS`). */
export type InfluxFieldType = 'float' | 'integer' | 'unsigned' | 'string' | 'boolean';

/** One field of a measurement; more than one type means shards disagree. */
export interface MeasurementField {
  key: string;
  types: InfluxFieldType[];
}

/** One tag key with the number of distinct values it has in the measurement. */
export interface MeasurementTagKey {
  key: string;
  cardinality?: number;
  /** True when counting stopped at a limit, so `cardinality` is a lower bound. */
  cardinalityIsLowerBound?: boolean;
}

/** Schema of one measurement as a harvester read it, before it becomes a dataset. */
export interface MeasurementSchema {
  /** Database (InfluxDB 1.x, v1-compatible API) or bucket (v2 API). */
  container: string;
  measurement: string;
  fields: MeasurementField[];
  tagKeys: MeasurementTagKey[];
  /** Distinct values of a `unit` tag, when the measurement has one (at most a few). */
  unitTagValues?: string[];
  /** RFC 3339 timestamps as the server wrote them. */
  firstTimestamp?: string;
  lastTimestamp?: string;
  seriesCount?: number;
}

export interface MeasurementDatasetInput {
  schema: MeasurementSchema;
  /** `database` or `bucket`, used in the description. */
  containerLabel: string;
  /** Server URL without credentials, for the description. */
  serverUrl: string;
  place?: string;
  distributions: HarvestedDistribution[];
  /** Facts that differ between the v1 and v2 APIs (retention policies or rules, mappings). */
  details: Record<string, unknown>;
}

const XSD_BY_FIELD_TYPE: Record<InfluxFieldType, ValueDatatype> = {
  float: 'xsd:double',
  integer: 'xsd:integer',
  // NOTE: xsd:unsignedLong is not among the catalog's datatypes, so unsigned
  // fields are recorded as xsd:integer and keep `unsigned` in details.fieldTypes.
  unsigned: 'xsd:integer',
  string: 'xsd:string',
  boolean: 'xsd:boolean',
};

/**
 * Write a dataset key `<database>/<measurement>`. Both parts may contain `/`,
 * so `%` and `/` inside a part are percent-encoded. Keys of ordinary names
 * stay readable, and no two measurements share a key.
 */
export function measurementDatasetKey(container: string, measurement: string): string {
  return `${encodeKeyPart(container)}/${encodeKeyPart(measurement)}`;
}

/** Read an InfluxQL field type (`float`) or a Flux column type (`double`). */
export function parseFieldType(text: string): InfluxFieldType | undefined {
  switch (text) {
    case 'float':
    case 'double':
      return 'float';
    case 'integer':
    case 'long':
      return 'integer';
    case 'unsigned':
    case 'unsignedLong':
      return 'unsigned';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      return undefined;
  }
}

/** Build the catalog dataset for one measurement. */
export function buildMeasurementDataset(input: MeasurementDatasetInput): HarvestedDataset {
  const { schema } = input;
  const built = schema.fields.map((field) => buildFieldProperty(field, schema));
  const properties = built.map((entry) => entry.property);
  const unitOrigins = Object.fromEntries(
    built.flatMap((entry) =>
      entry.origin === undefined ? [] : [[entry.property.name, entry.origin]],
    ),
  );

  const keywords = new Set<string>(['InfluxDB', schema.measurement]);
  for (const property of properties) {
    if (property.quantityKind !== undefined) {
      keywords.add(property.quantityKind);
    }
  }

  const dataset: HarvestedDataset = {
    key: measurementDatasetKey(schema.container, schema.measurement),
    kind: 'influx-measurement',
    title: schema.measurement,
    description:
      `InfluxDB measurement "${schema.measurement}" in ${input.containerLabel} "${schema.container}" ` +
      `on ${input.serverUrl}, with ${describeCount(schema.fields.length, 'field')} and ` +
      `${describeCount(schema.tagKeys.length, 'tag key')}.`,
    keywords: [...keywords],
    properties,
    distributions: input.distributions,
    details: {
      ...input.details,
      measurement: schema.measurement,
      tagKeys: schema.tagKeys,
      fieldTypes: Object.fromEntries(schema.fields.map((field) => [field.key, field.types])),
      unitOrigins,
      ...(schema.seriesCount === undefined ? {} : { seriesCount: schema.seriesCount }),
      ...(schema.unitTagValues === undefined ? {} : { unitTagValues: schema.unitTagValues }),
    },
  };

  if (input.place !== undefined) {
    dataset.place = input.place;
  }
  if (schema.firstTimestamp !== undefined || schema.lastTimestamp !== undefined) {
    dataset.temporal = {};
    if (schema.firstTimestamp !== undefined) {
      dataset.temporal.start = schema.firstTimestamp;
    }
    if (schema.lastTimestamp !== undefined) {
      dataset.temporal.end = schema.lastTimestamp;
    }
  }

  return dataset;
}

function buildFieldProperty(
  field: MeasurementField,
  schema: MeasurementSchema,
): { property: HarvestedProperty; origin?: FieldUnitOrigin } {
  const property: HarvestedProperty = {
    name: field.key,
    datatypes: [...new Set(field.types.map((type) => XSD_BY_FIELD_TYPE[type]))],
  };

  const numeric = field.types.some(
    (type) => type === 'float' || type === 'integer' || type === 'unsigned',
  );
  const nameKind = quantityKindFromFieldKey(field.key);
  const found = numeric
    ? inferFieldUnit(field.key, {
        measurement: schema.measurement,
        unitTagValues: schema.unitTagValues,
        tagKeys: schema.tagKeys.map((tag) => tag.key),
      })
    : undefined;

  if (found !== undefined) {
    property.unit = found.unit.ucum;
    property.unitSourceText = found.sourceText;
  }

  // A percentage tells little about the quantity, so the field's name decides
  // (`humidity_pct` is a relative humidity).
  const unitKind = found?.unit.quantityKind;
  const quantityKind =
    unitKind === 'DimensionlessRatio' ? (nameKind ?? unitKind) : (unitKind ?? nameKind);
  if (quantityKind !== undefined) {
    property.quantityKind = quantityKind;
  }

  return found === undefined ? { property } : { property, origin: found.origin };
}

function encodeKeyPart(part: string): string {
  return part.replace(/%/g, '%25').replace(/\//g, '%2F');
}

function describeCount(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
