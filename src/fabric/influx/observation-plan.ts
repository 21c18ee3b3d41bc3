import type { InfluxFieldType } from '../../harvest/influx/influx-measurement-dataset';
import type { MeasurementFieldSchema, MeasurementTarget } from '../catalog/query-target';
import { FabricError } from '../fabric.error';
import type { FrameColumn } from '../frame';

export type Aggregation = 'mean' | 'min' | 'max' | 'last' | 'count' | 'sum';
export type FillPolicy = 'none' | 'null' | 'previous' | 'linear' | 'number';
export type TagOperator = 'eq' | 'ne' | 'in' | 'notIn';

/** A tag filter as the caller gives it. */
export interface TagFilter {
  tag: string;
  op: TagOperator;
  values: string[];
}

/** An observation query as the caller gives it, before validation. */
export interface ObservationQuery {
  from: Date;
  to: Date;
  fields?: string[] | null;
  tagFilters?: TagFilter[] | null;
  aggregation?: Aggregation | null;
  /** Window of the aggregation: a whole number and a unit (`30s`, `5m`, `1h`, `1d`, `1w`, `500ms`). */
  window?: string | null;
  fill?: FillPolicy | null;
  fillValue?: number | null;
}

/** A fixed window, as a duration literal both InfluxQL and Flux read. */
export interface WindowSpec {
  literal: string;
  milliseconds: number;
}

/** A validated observation query: every name comes from the harvested schema. */
export interface ObservationPlan {
  /** RFC 3339, inclusive. */
  from: string;
  /** RFC 3339, exclusive. */
  to: string;
  fields: MeasurementFieldSchema[];
  tagFilters: TagFilter[];
  aggregation: Aggregation | null;
  window: WindowSpec | null;
  fill: FillPolicy;
  fillValue: number | null;
  /** Tag keys returned as columns: all of them for raw points, none for aggregates (series are merged). */
  tagColumns: string[];
  columns: FrameColumn[];
}

const WINDOW_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const MAX_FIELDS = 100;
const MAX_TAG_VALUES = 200;
const MAX_TAG_VALUE_LENGTH = 1024;
const NUMERIC_TYPES: readonly InfluxFieldType[] = ['float', 'integer', 'unsigned'];

/** Validate a query against the measurement's harvested schema. */
export function planObservations(
  target: MeasurementTarget,
  query: ObservationQuery,
): ObservationPlan {
  const { from, to } = checkRange(query.from, query.to);
  const aggregation = query.aggregation ?? null;
  const window = parseWindow(query.window ?? null, aggregation);
  const { fill, fillValue } = checkFill(query, window);
  const fields = pickFields(target, query.fields ?? null, aggregation);
  const tagFilters = (query.tagFilters ?? []).map((filter) => checkTagFilter(target, filter));
  const tagColumns = aggregation === null ? [...target.tagKeys] : [];

  return {
    from,
    to,
    fields,
    tagFilters,
    aggregation,
    window,
    fill,
    fillValue,
    tagColumns,
    columns: columnsOf(fields, aggregation, tagColumns),
  };
}

function checkRange(from: Date, to: Date): { from: string; to: string } {
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) {
    throw new FabricError('INVALID_QUERY', 'from is not a valid time: give an RFC 3339 timestamp');
  }
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) {
    throw new FabricError('INVALID_QUERY', 'to is not a valid time: give an RFC 3339 timestamp');
  }
  if (from.getTime() >= to.getTime()) {
    throw new FabricError(
      'INVALID_QUERY',
      `the time range is empty (from ${from.toISOString()} is not before to ${to.toISOString()}): give from < to`,
    );
  }
  return { from: from.toISOString(), to: to.toISOString() };
}

/** Parse `5m`, `30s`, `1h`; the literal is rebuilt from the parsed number and unit, never copied. */
export function parseWindow(
  text: string | null,
  aggregation: Aggregation | null,
): WindowSpec | null {
  if (text === null) {
    return null;
  }
  if (aggregation === null) {
    throw new FabricError(
      'INVALID_QUERY',
      `window "${text.slice(0, 40)}" needs an aggregation: set aggregation to MEAN, MIN, MAX, LAST, COUNT or SUM`,
    );
  }

  const match = /^([1-9][0-9]{0,8})(ms|s|m|h|d|w)$/.exec(text);
  if (match === null) {
    throw new FabricError(
      'INVALID_QUERY',
      `window "${text.slice(0, 40)}" is invalid: write a whole number and a unit (500ms, 30s, 5m, 1h, 1d, 1w)`,
    );
  }
  const amount = Number(match[1]);
  const unit = match[2];
  return { literal: `${amount}${unit}`, milliseconds: amount * WINDOW_UNITS[unit] };
}

function checkFill(
  query: ObservationQuery,
  window: WindowSpec | null,
): { fill: FillPolicy; fillValue: number | null } {
  const requested = query.fill ?? null;
  if (requested !== null && window === null) {
    throw new FabricError(
      'INVALID_QUERY',
      `fill ${requested.toUpperCase()} applies to windows: set window (for example 5m) with the aggregation`,
    );
  }

  // InfluxQL fills empty windows with null unless the query sets a fill, and the default keeps that meaning.
  const fill = requested ?? 'null';
  const value = query.fillValue ?? null;
  if (fill === 'number') {
    if (value === null || !Number.isFinite(value)) {
      throw new FabricError(
        'INVALID_QUERY',
        'fill NUMBER needs fillValue: give the number that empty windows get',
      );
    }
    return { fill, fillValue: value };
  }
  if (value !== null) {
    throw new FabricError(
      'INVALID_QUERY',
      `fillValue is only used with fill NUMBER, not ${fill.toUpperCase()}: drop it or set fill to NUMBER`,
    );
  }
  return { fill, fillValue: null };
}

function pickFields(
  target: MeasurementTarget,
  requested: string[] | null,
  aggregation: Aggregation | null,
): MeasurementFieldSchema[] {
  const known = [...target.fields.values()];
  if (requested === null || requested.length === 0) {
    const usable = known.filter((field) => acceptsField(aggregation, field));
    if (usable.length === 0) {
      throw new FabricError(
        'INVALID_QUERY',
        `measurement ${target.measurement} has no field that ${aggregation ?? 'a query'} applies to`,
      );
    }
    return usable;
  }

  if (requested.length > MAX_FIELDS) {
    throw new FabricError(
      'INVALID_QUERY',
      `${requested.length} fields were requested: ask for at most ${MAX_FIELDS}`,
    );
  }
  const picked: MeasurementFieldSchema[] = [];
  for (const name of new Set(requested)) {
    const field = target.fields.get(name);
    if (field === undefined) {
      throw new FabricError(
        'INVALID_QUERY',
        `field ${JSON.stringify(name.slice(0, 80))} is not a field of measurement ${target.measurement}: use one of ${listOf(target.fields.keys())}`,
      );
    }
    if (!acceptsField(aggregation, field)) {
      throw new FabricError(
        'INVALID_QUERY',
        `${aggregation?.toUpperCase() ?? ''} needs a numeric field, but ${name} holds ${field.types.join(' and ')} values: use COUNT or LAST, or another field`,
      );
    }
    picked.push(field);
  }
  return picked;
}

function acceptsField(aggregation: Aggregation | null, field: MeasurementFieldSchema): boolean {
  switch (aggregation) {
    case null:
    case 'count':
    case 'last':
      return true;
    case 'mean':
    case 'sum':
    case 'min':
    case 'max':
      return field.types.length > 0 && field.types.every((type) => NUMERIC_TYPES.includes(type));
  }
}

function checkTagFilter(target: MeasurementTarget, filter: TagFilter): TagFilter {
  if (!target.tagKeys.includes(filter.tag)) {
    throw new FabricError(
      'INVALID_QUERY',
      `tag ${JSON.stringify(filter.tag.slice(0, 80))} is not a tag key of measurement ${target.measurement}: use one of ${listOf(target.tagKeys)}`,
    );
  }
  const count = filter.values.length;
  if ((filter.op === 'eq' || filter.op === 'ne') && count !== 1) {
    throw new FabricError(
      'INVALID_QUERY',
      `tag filter on ${filter.tag} with ${filter.op.toUpperCase()} takes one value, got ${count}: use IN or NOT_IN for several`,
    );
  }
  if (count === 0 || count > MAX_TAG_VALUES) {
    throw new FabricError(
      'INVALID_QUERY',
      `tag filter on ${filter.tag} has ${count} values: give 1 to ${MAX_TAG_VALUES}`,
    );
  }
  for (const value of filter.values) {
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      throw new FabricError(
        'INVALID_QUERY',
        `a value of the tag filter on ${filter.tag} is longer than ${MAX_TAG_VALUE_LENGTH} characters`,
      );
    }
  }
  return { tag: filter.tag, op: filter.op, values: [...filter.values] };
}

function columnsOf(
  fields: MeasurementFieldSchema[],
  aggregation: Aggregation | null,
  tagColumns: string[],
): FrameColumn[] {
  const columns: FrameColumn[] = [
    { name: 'time', datatype: 'xsd:dateTimeStamp', unit: null, role: 'time' },
  ];
  for (const field of fields) {
    columns.push({
      name: field.name,
      datatype: aggregatedDatatype(field, aggregation),
      unit: aggregation === 'count' ? null : field.unit,
      role: 'field',
    });
  }
  for (const tag of tagColumns) {
    columns.push({ name: tag, datatype: 'xsd:string', unit: null, role: 'tag' });
  }
  return columns;
}

function aggregatedDatatype(
  field: MeasurementFieldSchema,
  aggregation: Aggregation | null,
): string {
  const stored = xsdOfFieldType(field.types[0]);
  switch (aggregation) {
    case 'count':
      return 'xsd:long';
    case 'mean':
      return 'xsd:double';
    case 'sum':
      return stored === 'xsd:double' ? 'xsd:double' : 'xsd:long';
    case null:
    case 'min':
    case 'max':
    case 'last':
      return stored;
  }
}

function xsdOfFieldType(type: InfluxFieldType | undefined): string {
  switch (type) {
    case 'float':
      return 'xsd:double';
    case 'integer':
      return 'xsd:long';
    case 'unsigned':
      return 'xsd:unsignedLong';
    case 'boolean':
      return 'xsd:boolean';
    case 'string':
    case undefined:
      return 'xsd:string';
  }
}

function listOf(names: Iterable<string>): string {
  const all = [...names];
  const shown = all.slice(0, 20).join(', ');
  return all.length > 20 ? `${shown} …` : shown;
}
