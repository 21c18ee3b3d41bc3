/**
 * Property paths inside MQTT payloads: dotted JSON keys (`ENERGY.Total`), `[]`
 * for the elements of an array (`ENERGY.Total[]`, `[].ieee_address`), and `$`
 * for the whole payload when it is not a JSON object or array, as in JSONPath.
 * A key that contains `.`, `[`, `]` or `\`, or that is `$` itself, is escaped
 * with a backslash so that two different keys never share a path.
 */

export const ROOT_PATH = '$';

const ARRAY_MARKER = '[]';

const NEEDS_ESCAPE = /[.[\]\\]/;

/** Escape one JSON key for use in a path, cut to at most `maxLength` characters (an ellipsis marks the cut). */
export function escapePathKey(key: string, maxLength: number = Number.MAX_SAFE_INTEGER): string {
  let kept = key;
  if (kept.length > maxLength) {
    kept = kept.slice(0, maxLength) + '…';
  }

  if (kept === ROOT_PATH) {
    return '\\$';
  }
  if (!NEEDS_ESCAPE.test(kept)) {
    return kept;
  }
  return kept.replace(/[.[\]\\]/g, (character) => '\\' + character);
}

/** Path of a key inside the object at `parent`. */
export function appendKey(parent: string, key: string, maxKeyLength?: number): string {
  const escaped = escapePathKey(key, maxKeyLength);
  return parent === ROOT_PATH ? escaped : parent + '.' + escaped;
}

/** Path of the elements of the array at `parent`. */
export function appendArrayItem(parent: string): string {
  return parent === ROOT_PATH ? ARRAY_MARKER : parent + ARRAY_MARKER;
}

/**
 * Split a path into its unescaped segments. A segment keeps its `[]` suffixes
 * (`Total[]`), and a root array is the segment `[]`.
 */
export function splitPath(path: string): string[] {
  if (path === ROOT_PATH) {
    return [];
  }

  const segments: string[] = [];
  let current = '';
  for (let index = 0; index < path.length; index += 1) {
    const character = path[index];
    if (character === '\\' && index + 1 < path.length) {
      current += path[index + 1];
      index += 1;
    } else if (character === '.') {
      segments.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  segments.push(current);
  return segments;
}

/** Strip the array markers from a path segment: `Total[]` becomes `Total`. */
export function stripArrayMarkers(segment: string): string {
  let stripped = segment;
  while (stripped.endsWith(ARRAY_MARKER)) {
    stripped = stripped.slice(0, -ARRAY_MARKER.length);
  }
  return stripped;
}

/** Return the keys of a path without array markers: `params.switch:0.aenergy.by_minute[]` gives `params`, `switch:0`, `aenergy`, `by_minute`. */
export function pathKeys(path: string): string[] {
  return splitPath(path).map(stripArrayMarkers);
}

/** Build a path from plain keys, escaping each (the inverse of `pathKeys` for paths without arrays). */
export function pathFromKeys(keys: readonly string[]): string {
  let path = ROOT_PATH;
  for (const key of keys) {
    path = appendKey(path, key);
  }
  return path;
}
