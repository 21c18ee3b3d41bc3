import { ExportError } from './export.error';

/** The time range of an export: `from` included, `to` excluded. */
export interface ExportWindow {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

/**
 * Parse the two ends of an export window as ISO 8601 times with a zone
 * (`2024-03-01T00:00:00Z`, `2024-03-01T01:00:00+01:00`) and check that the
 * window is not empty and not longer than `maxDays`.
 */
export function parseExportWindow(
  from: string | Date,
  to: string | Date,
  maxDays: number,
): ExportWindow {
  const start = parseTime('from', from);
  const end = parseTime('to', to);
  if (start.getTime() >= end.getTime()) {
    throw new ExportError(
      'INVALID_INPUT',
      `the window is empty: from ${start.toISOString()} is not before to ${end.toISOString()}; give a from earlier than to`,
    );
  }
  const days = (end.getTime() - start.getTime()) / DAY_MS;
  if (days > maxDays) {
    throw new ExportError(
      'INVALID_INPUT',
      `the window from ${start.toISOString()} to ${end.toISOString()} covers ${days.toFixed(1)} days, more than the ${maxDays} days one export may cover (WEFT_EXPORT_MAX_WINDOW_DAYS): split it into several exports`,
    );
  }
  return { from: start, to: end };
}

/** The window as an ISO 8601 interval (`start/end`), as schema.org temporalCoverage writes it. */
export function windowInterval(window: ExportWindow): string {
  return `${window.from.toISOString()}/${window.to.toISOString()}`;
}

function parseTime(name: 'from' | 'to', value: string | Date): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new ExportError('INVALID_INPUT', `${name} is not a valid time: give an ISO 8601 time`);
    }
    return value;
  }
  // A time without a zone would be read in the server's zone, so the zone is required.
  const pattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
  const parsed = new Date(value);
  if (!pattern.test(value) || Number.isNaN(parsed.getTime())) {
    throw new ExportError(
      'INVALID_INPUT',
      `${name} "${value.slice(0, 40)}" is not an ISO 8601 time with a zone: write it like 2024-03-01T00:00:00Z`,
    );
  }
  return parsed;
}
