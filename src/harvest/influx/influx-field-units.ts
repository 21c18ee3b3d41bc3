import { normalizeUnit, quantityKindFromName } from '../../units/units';
import type { UnitInfo } from '../../units/units';

/** Source of a field's unit, recorded so a steward can judge it. */
export type FieldUnitOrigin = 'field-key' | 'unit-tag' | 'measurement-name';

export interface FieldUnit {
  unit: UnitInfo;
  /** The text the unit was read from (`kwh` of `energy_kwh`, a `unit` tag value, a measurement name). */
  sourceText: string;
  origin: FieldUnitOrigin;
}

/** Facts about a field's measurement that its unit may come from. */
export interface FieldUnitContext {
  measurement: string;
  /** Distinct values of the measurement's `unit` tag, when it has one. */
  unitTagValues?: string[];
  /** The measurement's tag keys. */
  tagKeys?: string[];
}

/** Tag keys that carry a unit in the wild (`sensor,unit=°C value=21.5`). */
export const UNIT_TAG_KEYS = ['unit', 'units', 'unit_of_measurement'];

/**
 * Suffixes that look like units but usually mean something else: `_min` is a
 * minimum more often than minutes, and `_m` may be metres or minutes.
 */
const AMBIGUOUS_SUFFIXES = new Set(['min', 'm']);

/**
 * Infer a field's unit. The first source is a unit suffix on the field key
 * (`temperature_c`, `power_w`, `energy_kwh`), then a single-valued `unit`
 * tag, then a measurement named after a unit with a `value` field and an
 * `entity_id` tag. Home Assistant's InfluxDB integration writes that last
 * form by default (`°C,entity_id=kitchen value=21.5`).
 */
export function inferFieldUnit(fieldKey: string, context: FieldUnitContext): FieldUnit | undefined {
  if (fieldKey.toLowerCase() === 'ph') {
    // pH names both the quantity and its unit.
    const ph = normalizeUnit('pH');
    if (ph !== undefined) {
      return { unit: ph, sourceText: fieldKey, origin: 'field-key' };
    }
  }

  const fromSuffix = unitFromSuffix(fieldKey);
  if (fromSuffix !== undefined) {
    return fromSuffix;
  }

  const tagValues = context.unitTagValues ?? [];
  if (tagValues.length === 1) {
    const tagUnit = normalizeUnit(tagValues[0]);
    if (tagUnit !== undefined) {
      return { unit: tagUnit, sourceText: tagValues[0], origin: 'unit-tag' };
    }
  }

  if (fieldKey === 'value' && (context.tagKeys ?? []).includes('entity_id')) {
    const nameUnit = normalizeUnit(context.measurement);
    if (nameUnit !== undefined) {
      return { unit: nameUnit, sourceText: context.measurement, origin: 'measurement-name' };
    }
  }

  return undefined;
}

/** Guess a QUDT quantity kind from the words of a field key (`room_temperature` gives Temperature). */
export function quantityKindFromFieldKey(fieldKey: string): string | undefined {
  const words = fieldKey.toLowerCase().split(/[_\-.\s]+/);
  let kind: string | undefined;

  for (const word of words) {
    kind = quantityKindFromName(word) ?? kind;
  }
  return kind;
}

function unitFromSuffix(fieldKey: string): FieldUnit | undefined {
  const separator = fieldKey.lastIndexOf('_');
  if (separator <= 0 || separator === fieldKey.length - 1) {
    return undefined;
  }

  const prefix = fieldKey.slice(0, separator);
  const suffix = fieldKey.slice(separator + 1);
  if (AMBIGUOUS_SUFFIXES.has(suffix.toLowerCase())) {
    return undefined;
  }

  const unit = normalizeUnit(suffix);
  if (unit === undefined) {
    return undefined;
  }

  // A prefix that names another quantity (`voltage_c` is phase C, not
  // degrees Celsius) wins over the suffix. A percentage fits any quantity.
  const prefixKind = quantityKindFromFieldKey(prefix);
  if (prefixKind !== undefined && unit.ucum !== '%' && prefixKind !== unit.quantityKind) {
    return undefined;
  }

  // One-letter suffixes count only when the prefix names the same quantity
  // (`current_a`) or, for temperatures, starts with `temp` (`temp_c`), because
  // `phase_a` or `axis_x` are not units.
  if (suffix.length === 1 && prefixKind === undefined && !isTemperaturePrefix(prefix, unit)) {
    return undefined;
  }

  return { unit, sourceText: suffix, origin: 'field-key' };
}

function isTemperaturePrefix(prefix: string, unit: UnitInfo): boolean {
  return unit.quantityKind === 'Temperature' && /(^|_)temp/i.test(prefix);
}
