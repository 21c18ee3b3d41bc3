import { ExportError } from './export.error';
import { parseExportWindow, windowInterval } from './export-window';

describe('parseExportWindow', () => {
  it('reads times with a zone', () => {
    const window = parseExportWindow('2024-03-01T01:00:00+01:00', '2024-03-02T00:00:00.5Z', 2);

    expect(window.from.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(window.to.toISOString()).toBe('2024-03-02T00:00:00.500Z');
    expect(windowInterval(window)).toBe('2024-03-01T00:00:00.000Z/2024-03-02T00:00:00.500Z');
  });

  it('accepts a date as midnight UTC', () => {
    const window = parseExportWindow('2024-03-01', '2024-03-02', 1);

    expect(window.from.toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });

  it('rejects times without a zone', () => {
    expect(() => parseExportWindow('2024-03-01T00:00:00', '2024-03-02T00:00:00Z', 5)).toThrow(
      'from "2024-03-01T00:00:00" is not an ISO 8601 time with a zone: write it like 2024-03-01T00:00:00Z',
    );
  });

  it('rejects text that is no time', () => {
    expect(() => parseExportWindow('2024-03-01T00:00:00Z', 'soon', 5)).toThrow(
      'to "soon" is not an ISO 8601 time with a zone',
    );
  });

  it('rejects an empty window', () => {
    expect(() => parseExportWindow('2024-03-02T00:00:00Z', '2024-03-02T00:00:00Z', 5)).toThrow(
      'the window is empty: from 2024-03-02T00:00:00.000Z is not before to 2024-03-02T00:00:00.000Z; give a from earlier than to',
    );
  });

  it('rejects a window above the maximum', () => {
    let caught: unknown;
    try {
      parseExportWindow('2024-03-01T00:00:00Z', '2024-03-04T12:00:00Z', 3);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ExportError);
    expect((caught as ExportError).code).toBe('INVALID_INPUT');
    expect((caught as ExportError).message).toBe(
      'the window from 2024-03-01T00:00:00.000Z to 2024-03-04T12:00:00.000Z covers 3.5 days, more than the 3 days one export may cover (WEFT_EXPORT_MAX_WINDOW_DAYS): split it into several exports',
    );
  });
});
