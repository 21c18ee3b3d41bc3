import type { CellValue } from '../frame';
import type { SeriesSlice } from '../influx/influxql-observation.query';
import type { ObservationPlan } from '../influx/observation-plan';
import type { RowPlan } from '../postgres/row-plan';
import { fromNanoseconds, isDateOnly, toNanoseconds } from '../time-bounds';

/** Limits on the series side that apply to every row: observations.from and .to, in nanoseconds. */
export interface JoinBounds {
  from: bigint | null;
  to: bigint | null;
}

/** A validated join: which columns drive it, and the overall time bounds. */
export type JoinSpec =
  | {
      mode: 'timeWindow';
      startColumn: string;
      /** Null when the table has no end column: the window runs to observations.to, or to now. */
      endColumn: string | null;
      /** Also match the row's key to a tag (the batch's reactor to the `reactor` tag), when set. */
      key: { column: string; tag: string } | null;
      requiredColumns: string[];
      bounds: JoinBounds;
    }
  | {
      mode: 'tagKey';
      keyColumn: string;
      tag: string;
      requiredColumns: string[];
      bounds: JoinBounds;
    };

/**
 * Turn each table row into the slice of the series it joins with, or null
 * when it joins with nothing (no start, an empty window, a null key).
 * A row's window is [start, end], both ends included: the slice ends one
 * nanosecond after `end`, or at the next midnight when `end` is a date.
 */
export function joinSlices(
  rows: CellValue[][],
  rowPlan: RowPlan,
  spec: JoinSpec,
  plan: ObservationPlan,
  fetchLimit: number,
): Array<SeriesSlice | null> {
  const indexOf = (name: string): number =>
    rowPlan.columns.findIndex((column) => column.name === name);

  switch (spec.mode) {
    case 'timeWindow': {
      const startIndex = indexOf(spec.startColumn);
      const endIndex = spec.endColumn === null ? -1 : indexOf(spec.endColumn);
      const key = spec.key;
      const keyIndex = key === null ? -1 : indexOf(key.column);
      return rows.map((row) => {
        const slice = windowSlice(
          row[startIndex] ?? null,
          endIndex < 0 ? null : (row[endIndex] ?? null),
          spec.bounds,
          fetchLimit,
        );
        if (slice === null || key === null) {
          return slice;
        }
        const value = row[keyIndex] ?? null;
        return value === null || typeof value === 'object'
          ? null
          : { ...slice, keyTag: { tag: key.tag, value: String(value) } };
      });
    }
    case 'tagKey': {
      const keyIndex = indexOf(spec.keyColumn);
      return rows.map((row) => keySlice(row[keyIndex] ?? null, spec, plan, fetchLimit));
    }
  }
}

function windowSlice(
  start: CellValue,
  end: CellValue,
  bounds: JoinBounds,
  fetchLimit: number,
): SeriesSlice | null {
  if (typeof start !== 'string') {
    return null;
  }
  let from = toNanoseconds(start, 'start');
  let to: bigint;
  if (typeof end === 'string') {
    to = isDateOnly(end)
      ? toNanoseconds(end, 'end') + 86_400_000_000_000n
      : toNanoseconds(end, 'end') + 1n;
  } else {
    to = bounds.to ?? BigInt(Date.now()) * 1_000_000n;
  }

  if (bounds.from !== null && bounds.from > from) {
    from = bounds.from;
  }
  if (bounds.to !== null && bounds.to < to) {
    to = bounds.to;
  }
  if (from >= to) {
    return null;
  }
  return {
    from: fromNanoseconds(from),
    to: fromNanoseconds(to),
    limit: fetchLimit,
    cursor: { offset: 0 },
  };
}

function keySlice(
  key: CellValue,
  spec: Extract<JoinSpec, { mode: 'tagKey' }>,
  plan: ObservationPlan,
  fetchLimit: number,
): SeriesSlice | null {
  if (key === null || typeof key === 'object') {
    return null;
  }
  return {
    from: spec.bounds.from === null ? plan.from : fromNanoseconds(spec.bounds.from),
    to: spec.bounds.to === null ? plan.to : fromNanoseconds(spec.bounds.to),
    keyTag: { tag: spec.tag, value: String(key) },
    limit: fetchLimit,
    cursor: { offset: 0 },
  };
}
