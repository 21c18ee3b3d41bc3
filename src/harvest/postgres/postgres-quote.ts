/**
 * Quoting for PostgreSQL identifiers (SQL "delimited identifiers", PostgreSQL
 * documentation 4.1.1): the name goes inside double quotes and each double
 * quote in it is doubled. Values never go through here: they are bound
 * parameters ($1, $2).
 */

/** Quote a schema, table or column name. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) {
    throw new Error(
      `identifier ${JSON.stringify(name)} contains a NUL character, which PostgreSQL rejects`,
    );
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** Write `"schema"."table"`. */
export function qualifiedTable(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
