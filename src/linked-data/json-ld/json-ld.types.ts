/** A JSON value inside a JSON-LD document that Weft builds. */
export type JsonLdValue = string | number | boolean | JsonLdNode | JsonLdValue[];

/** A JSON-LD node object (or value object) as a plain JSON object. */
export interface JsonLdNode {
  [key: string]: JsonLdValue;
}

/** A node object without absent members: null, undefined and empty arrays are left out. */
export type JsonLdDraft = Record<string, JsonLdValue | null | undefined>;

/**
 * Drop members whose value is null, undefined or an empty array, so the
 * builders can list every property in a fixed order and leave out the
 * ones a record lacks.
 */
export function node(draft: JsonLdDraft): JsonLdNode {
  const result: JsonLdNode = {};
  for (const [key, value] of Object.entries(draft)) {
    if (value === null || value === undefined) {
      continue;
    }
    if (Array.isArray(value) && value.length === 0) {
      continue;
    }
    result[key] = value;
  }
  return result;
}
