/**
 * A JSON object, as stored in jsonb columns. Nested values are typed as
 * `object` rather than recursively, which keeps TypeORM's partial-entity
 * types finite.
 */
export interface JsonRecord {
  [key: string]: string | number | boolean | null | object;
}

/** View a structure from a harvester or a builder as JSON; it must hold only JSON-serialisable values. */
export function asJson(value: object): JsonRecord {
  return value as JsonRecord;
}
