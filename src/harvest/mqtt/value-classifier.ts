import type { ValueDatatype } from '../harvest.types';

/**
 * Classification of one textual value: a JSON string inside a payload, or a
 * whole payload that is plain text (`ON`, `online`, `nan`).
 */
export interface TextClassification {
  /** Datatype counted for the property; absent for null-like text such as `None`. */
  datatype?: ValueDatatype;
  /** Anomaly counted for the property, by its name (`numeric-string`, `nan`, `""`). */
  anomaly?: string;
  /** The number the text stands for, when it stands for a finite one. */
  number?: number;
  /** Whether the text may join the property's set of enumeration values. */
  enumCandidate: boolean;
}

/** Origin of a text: a quoted JSON string, or a payload that is not JSON at all. */
export type TextSource = 'json-string' | 'plain-text';

/** Anomaly name for a number sent as a JSON string (`"21.5"`). */
export const NUMERIC_STRING = 'numeric-string';

/** Anomaly name for an empty JSON string. */
export const EMPTY_STRING = '""';

/** Anomaly name for a JSON null. */
export const NULL_VALUE = 'null';

/**
 * Spellings of non-finite floats that devices publish. C's printf writes
 * `nan` and `inf` (as ESPHome did until late 2024), and Python writes `NaN`
 * and `Infinity`. They are xsd:double lexical values but unusable as measurements.
 */
const NON_FINITE = new Set([
  'nan',
  '-nan',
  'NaN',
  'NAN',
  'inf',
  '-inf',
  '+inf',
  'Inf',
  '-Inf',
  'INF',
  '-INF',
  'Infinity',
  '-Infinity',
  '+Infinity',
]);

/**
 * Plain-text payloads that mean "no value": ESPHome releases since late 2024
 * publish `None` for a sensor without a state, and some bridges write `null`.
 */
const NULL_LIKE = new Set(['None', 'null', 'NULL']);

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/;

/**
 * xsd:dateTime lexical form (XML Schema 1.1 part 2, 3.3.7): the time zone is
 * optional, which is how Tasmota writes device-local time.
 */
const DATE_TIME_TEXT =
  /^-?\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/;

/** Classify a text value; see `TextClassification`. */
export function classifyText(text: string, source: TextSource): TextClassification {
  const trimmed = text.trim();

  if (trimmed === '') {
    return { datatype: 'xsd:string', anomaly: EMPTY_STRING, enumCandidate: false };
  }
  if (NON_FINITE.has(trimmed)) {
    return { datatype: 'xsd:double', anomaly: trimmed, enumCandidate: false };
  }
  if (source === 'plain-text' && NULL_LIKE.has(trimmed)) {
    return { anomaly: trimmed, enumCandidate: false };
  }

  const numeric = classifyNumericText(trimmed);
  if (numeric !== undefined) {
    return {
      ...numeric,
      anomaly: source === 'json-string' ? NUMERIC_STRING : undefined,
      enumCandidate: false,
    };
  }

  if (DATE_TIME_TEXT.test(trimmed)) {
    return { datatype: 'xsd:dateTime', enumCandidate: false };
  }
  return { datatype: 'xsd:string', enumCandidate: true };
}

function classifyNumericText(
  text: string,
): { datatype: ValueDatatype; number: number } | undefined {
  if (!DECIMAL_TEXT.test(text)) {
    return undefined;
  }
  const number = Number(text);
  if (!Number.isFinite(number)) {
    return undefined;
  }
  return { datatype: INTEGER_TEXT.test(text) ? 'xsd:integer' : 'xsd:double', number };
}
