/**
 * Quoting for InfluxQL. The InfluxQL scanner (influxql/scanner.go, the same
 * in InfluxDB 1.x, 2.x and 3) reads a double-quoted identifier and a
 * single-quoted string literal with the same escapes: `\\`, `\"`, `\'` and
 * `\n`. A raw newline inside quotes ends the token as a bad string, so it is
 * escaped too.
 */

/** Quote an identifier (database, retention policy, measurement, tag or field key). */
export function quoteIdentifier(name: string): string {
  return `"${escapeQuoted(name, '"')}"`;
}

/** Quote a string literal, for the rare statement that cannot take a bound parameter. */
export function quoteStringLiteral(value: string): string {
  return `'${escapeQuoted(value, "'")}'`;
}

/** Write `"db"."rp"."measurement"`, the fully qualified source of a SELECT. */
export function qualifiedMeasurement(
  database: string,
  retentionPolicy: string,
  measurement: string,
): string {
  return [database, retentionPolicy, measurement].map(quoteIdentifier).join('.');
}

function escapeQuoted(text: string, quote: '"' | "'"): string {
  let escaped = '';

  for (const character of text) {
    if (character === '\\') {
      escaped += '\\\\';
    } else if (character === quote) {
      escaped += `\\${quote}`;
    } else if (character === '\n') {
      escaped += '\\n';
    } else {
      escaped += character;
    }
  }

  return escaped;
}
