import type { PropertySchema, SchemaSummary } from '../payload-schema';
import { pathKeys, ROOT_PATH } from '../property-path';

/** Find the property at `path`, if the topic's payloads had it. */
export function findProperty(schema: SchemaSummary, path: string): PropertySchema | undefined {
  return schema.properties.find((property) => property.name === path);
}

/** Return the string value a property had in every payload, when it had exactly one. */
export function singleStringValue(schema: SchemaSummary, path: string): string | undefined {
  const values = findProperty(schema, path)?.enumValues;
  return values !== undefined && values.length === 1 ? values[0] : undefined;
}

/** Test whether every payload of the topic was one of `words`, as plain text or a JSON string. */
export function payloadIsOneOf(schema: SchemaSummary, words: ReadonlySet<string>): boolean {
  const root = findProperty(schema, ROOT_PATH);
  const values = root?.enumValues;
  if (root === undefined || values === undefined) {
    return false;
  }
  return values.every((value) => words.has(value));
}

/** Test whether the last keys of `path` are `suffix` (array markers ignored): `params.switch:0.aenergy.total` ends with `aenergy`, `total`. */
export function pathEndsWith(path: string, suffix: readonly string[]): boolean {
  const keys = pathKeys(path);
  if (keys.length < suffix.length) {
    return false;
  }
  const offset = keys.length - suffix.length;
  return suffix.every((key, index) => keys[offset + index] === key);
}

/** Return the last key of a path without array markers, or undefined for the whole payload. */
export function leafKey(path: string): string | undefined {
  const keys = pathKeys(path);
  return keys[keys.length - 1];
}
