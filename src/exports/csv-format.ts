import type { CellValue } from '../fabric/frame';

/** Line break of CSV records (RFC 4180, section 2). */
export const CSV_LINE_BREAK = '\r\n';

/**
 * Format one CSV record as RFC 4180 writes it: fields separated by commas,
 * and a field in double quotes, with inner quotes doubled, when it holds a
 * comma, a quote, a line break or space at either end.
 */
export function csvRecord(values: readonly CellValue[]): string {
  return values.map(csvField).join(',') + CSV_LINE_BREAK;
}

/** Format one value: null as an empty field, JSON objects and arrays as their JSON text. */
export function csvField(value: CellValue): string {
  if (value === null) {
    return '';
  }
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    text = String(value);
  } else {
    text = JSON.stringify(value);
  }
  if (/[",\r\n]/.test(text) || text !== text.trim() || text === '') {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}
