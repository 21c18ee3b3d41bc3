import type { MeasurementTarget } from '../catalog/query-target';
import type { ObservationPlan, TagFilter } from './observation-plan';
import type { SeriesSlice } from './influxql-observation.query';

export interface FluxStatement {
  query: string;
  /** Sent as the `params` object of POST /api/v2/query; the script reads them as `params.name`. */
  params: Record<string, string | number>;
}

const FLUX_FUNCTIONS: Record<NonNullable<ObservationPlan['aggregation']>, string> = {
  mean: 'mean',
  min: 'min',
  max: 'max',
  last: 'last',
  count: 'count',
  sum: 'sum',
};

/**
 * Build the Flux script for a plan. Values (bucket, measurement, fields,
 * times, tag values, the fill number) are query parameters; tag keys cannot
 * be (a record key must be a literal), so they come from the harvested
 * schema and are written as escaped string literals. Series are merged per
 * field before aggregating, as InfluxQL merges them, and pivoted to one row
 * per time (and per series, for raw points).
 */
export function buildFluxQuery(
  target: MeasurementTarget,
  plan: ObservationPlan,
  slice: SeriesSlice,
): FluxStatement {
  if (target.connection.api !== 'flux') {
    throw new Error(`dataset ${target.dataset.pid} is read through InfluxQL, not Flux`);
  }
  const params: Record<string, string | number> = {
    bucket: target.connection.bucket,
    measurement: target.measurement,
    from: laterOf(slice.from, slice.cursor.afterTime),
    to: slice.to,
  };
  const lines: string[] = [];
  if (plan.fill === 'linear' && plan.window !== null) {
    lines.push('import "interpolate"', '');
  }

  lines.push(
    'from(bucket: params.bucket)',
    '  |> range(start: time(v: params.from), stop: time(v: params.to))',
    '  |> filter(fn: (r) => r._measurement == params.measurement)',
  );

  const fieldTerms = plan.fields.map((field, index) => {
    params[`field${index}`] = field.name;
    return `r._field == params.field${index}`;
  });
  lines.push(`  |> filter(fn: (r) => ${fieldTerms.join(' or ')})`);

  plan.tagFilters.forEach((filter, index) => {
    lines.push(`  |> filter(fn: (r) => ${tagPredicate(filter, index, params)})`);
  });
  if (slice.keyTag !== undefined) {
    params.key = slice.keyTag.value;
    lines.push(`  |> filter(fn: (r) => r[${fluxString(slice.keyTag.tag)}] == params.key)`);
  }

  if (plan.aggregation !== null) {
    lines.push(...aggregationLines(plan, params));
  }

  // pivot merges the tables that differ only in _field, so each series keeps its tags as
  // columns; group() then makes one table of all series.
  // NOTE: rows of different series at the same time come in the server's order, which
  // keyset paging assumes is stable between pages.
  const keep = ['_time', ...plan.fields.map((field) => field.name), ...plan.tagColumns];
  lines.push(
    '  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")',
    '  |> group()',
    '  |> sort(columns: ["_time"])',
    `  |> limit(n: ${slice.limit}, offset: ${slice.cursor.offset})`,
    `  |> keep(columns: [${keep.map(fluxString).join(', ')}])`,
  );
  return { query: lines.join('\n'), params };
}

function aggregationLines(
  plan: ObservationPlan,
  params: Record<string, string | number>,
): string[] {
  const fn = FLUX_FUNCTIONS[plan.aggregation ?? 'mean'];
  const lines = ['  |> group(columns: ["_field"])'];
  if (plan.window === null) {
    // One value over the whole range, stamped with the range start as InfluxQL does.
    lines.push(`  |> ${fn}()`, '  |> map(fn: (r) => ({r with _time: time(v: params.from)}))');
    return lines;
  }

  const every = plan.window.literal;
  const createEmpty = plan.fill !== 'none' && plan.fill !== 'linear';
  lines.push(
    `  |> aggregateWindow(every: ${every}, fn: ${fn}, createEmpty: ${createEmpty}, timeSrc: "_start")`,
  );
  switch (plan.fill) {
    case 'none':
    case 'null':
      break;
    case 'previous':
      lines.push('  |> fill(usePrevious: true)');
      break;
    case 'linear':
      lines.push(`  |> interpolate.linear(every: ${every})`);
      break;
    case 'number':
      // NOTE: Flux's fill() needs a value of the column's type, so NUMBER works on float fields only.
      params.fillValue = plan.fillValue ?? 0;
      lines.push('  |> fill(value: params.fillValue)');
      break;
  }
  return lines;
}

function tagPredicate(
  filter: TagFilter,
  index: number,
  params: Record<string, string | number>,
): string {
  const column = `r[${fluxString(filter.tag)}]`;
  const terms = filter.values.map((value, position) => {
    const name = `tag${index}_${position}`;
    params[name] = value;
    return name;
  });

  switch (filter.op) {
    case 'eq':
      return `${column} == params.${terms[0]}`;
    case 'ne':
      return `${column} != params.${terms[0]}`;
    case 'in':
      return terms.map((name) => `${column} == params.${name}`).join(' or ');
    case 'notIn':
      return terms.map((name) => `${column} != params.${name}`).join(' and ');
  }
}

/**
 * Write a Flux string literal. Flux strings take the escapes `\\`, `\"`,
 * `\n`, `\r`, `\t` and `\$` (so `${` starts no interpolation).
 */
export function fluxString(text: string): string {
  let escaped = '';
  for (const character of text) {
    switch (character) {
      case '\\':
        escaped += '\\\\';
        break;
      case '"':
        escaped += '\\"';
        break;
      case '\n':
        escaped += '\\n';
        break;
      case '\r':
        escaped += '\\r';
        break;
      case '\t':
        escaped += '\\t';
        break;
      case '$':
        escaped += '\\$';
        break;
      default:
        escaped += character;
    }
  }
  return `"${escaped}"`;
}

function laterOf(from: string, after: string | undefined): string {
  if (after === undefined) {
    return from;
  }
  return Date.parse(after) > Date.parse(from) ? after : from;
}
