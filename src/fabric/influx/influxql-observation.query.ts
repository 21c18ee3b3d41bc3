import { qualifiedMeasurement, quoteIdentifier } from '../../harvest/influx/influxql-quote';
import type { InfluxqlParam } from '../../harvest/influx/influxql-client';
import type { MeasurementTarget } from '../catalog/query-target';
import type { PageCursor } from '../cursor';
import { FabricError } from '../fabric.error';
import type { ObservationPlan, TagFilter } from './observation-plan';

/** The part of a measurement one statement reads: a time range, perhaps one series key, one page. */
export interface SeriesSlice {
  /** RFC 3339, inclusive. */
  from: string;
  /** RFC 3339, exclusive. */
  to: string;
  /** A tag that must equal a value, for joins on a key. */
  keyTag?: { tag: string; value: string };
  /** Rows to fetch: the page size plus one, to tell whether another page follows. */
  limit: number;
  cursor: PageCursor;
}

export interface InfluxqlStatement {
  statement: string;
  params: Record<string, InfluxqlParam>;
}

/**
 * Build the InfluxQL SELECT for a plan. Identifiers come from the harvested
 * schema and are quoted; every value (times, tag values) is a `$name`
 * parameter sent apart from the text (InfluxDB 1.x `params`). Only numbers
 * Weft computed itself are written inline: LIMIT, OFFSET, the window and a
 * numeric fill value. `prefix` keeps parameter names apart when several
 * statements share one request.
 */
export function buildInfluxqlStatement(
  target: MeasurementTarget,
  plan: ObservationPlan,
  slice: SeriesSlice,
  prefix = '',
): InfluxqlStatement {
  if (target.connection.api !== 'influxql') {
    throw new Error(`dataset ${target.dataset.pid} is read through Flux, not InfluxQL`);
  }
  const params: Record<string, InfluxqlParam> = {};
  const bind = (name: string, value: string): string => {
    const key = `${prefix}${name}`;
    params[key] = value;
    return `$${key}`;
  };

  const source = qualifiedMeasurement(
    target.connection.database,
    target.connection.retentionPolicy,
    target.measurement,
  );
  const conditions = [`time >= ${bind('from', slice.from)}`, `time < ${bind('to', slice.to)}`];
  if (slice.cursor.afterTime !== undefined) {
    conditions.push(`time >= ${bind('after', slice.cursor.afterTime)}`);
  }
  plan.tagFilters.forEach((filter, index) => {
    conditions.push(
      tagCondition(filter, (position, value) => bind(`tag${index}_${position}`, value)),
    );
  });
  if (slice.keyTag !== undefined) {
    conditions.push(
      `${quoteIdentifier(slice.keyTag.tag)}::tag = ${bind('key', slice.keyTag.value)}`,
    );
  }

  let statement = `SELECT ${selections(plan).join(', ')} FROM ${source} WHERE ${conditions.join(' AND ')}`;
  if (plan.window !== null) {
    statement += ` GROUP BY time(${plan.window.literal}) fill(${fillClause(plan)})`;
  }
  statement += ` LIMIT ${integer(slice.limit)}`;
  if (slice.cursor.offset > 0) {
    statement += ` OFFSET ${integer(slice.cursor.offset)}`;
  }
  return { statement, params };
}

function selections(plan: ObservationPlan): string[] {
  if (plan.aggregation === null) {
    return [
      ...plan.fields.map(
        (field) => `${quoteIdentifier(field.name)}::field AS ${quoteIdentifier(field.name)}`,
      ),
      ...plan.tagColumns.map((tag) => `${quoteIdentifier(tag)}::tag AS ${quoteIdentifier(tag)}`),
    ];
  }
  const aggregation = plan.aggregation;
  return plan.fields.map(
    (field) => `${aggregation}(${quoteIdentifier(field.name)}) AS ${quoteIdentifier(field.name)}`,
  );
}

function tagCondition(
  filter: TagFilter,
  bind: (position: number, value: string) => string,
): string {
  const tag = `${quoteIdentifier(filter.tag)}::tag`;
  const terms = (operator: '=' | '!=') =>
    filter.values.map((value, position) => `${tag} ${operator} ${bind(position, value)}`);

  switch (filter.op) {
    case 'eq':
      return terms('=')[0] ?? 'false';
    case 'ne':
      return terms('!=')[0] ?? 'true';
    case 'in':
      return `(${terms('=').join(' OR ')})`;
    case 'notIn':
      return `(${terms('!=').join(' AND ')})`;
  }
}

function fillClause(plan: ObservationPlan): string {
  switch (plan.fill) {
    case 'none':
    case 'null':
    case 'previous':
    case 'linear':
      return plan.fill;
    case 'number':
      return numberLiteral(plan.fillValue ?? 0);
  }
}

/**
 * Write a fill number as InfluxQL reads it: digits with an optional
 * fraction, no exponent. Values a double cannot write that way exactly
 * (beyond ±1e15) are rejected.
 */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e15) {
    throw new FabricError(
      'INVALID_QUERY',
      `fillValue ${value} is out of range: give a number between -1e15 and 1e15`,
    );
  }
  const text = String(value);
  if (!/e/i.test(text)) {
    return text;
  }
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`LIMIT and OFFSET must be non-negative integers, got ${value}`);
  }
  return String(value);
}
