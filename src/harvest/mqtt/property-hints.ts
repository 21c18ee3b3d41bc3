import type { HarvestedProperty } from '../harvest.types';
import { normalizeUnit, quantityKindFromName } from '../../units/units';
import type { PropertyHint, UnitOrigin } from './formats/format.types';
import type { PropertySchema } from './payload-schema';
import { ROOT_PATH } from './property-path';

/**
 * Turns inferred property schemas into catalog properties and applies the
 * units, labels and descriptions that formats and describing topics give
 * them. Units are mapped to UCUM codes and QUDT quantity kinds through the
 * shared unit table and never converted: a value the device sends in °F
 * stays in `[degF]`.
 */

/** Origins whose unit text the source itself wrote, kept as `unitSourceText`. */
const STATED_ORIGINS: ReadonlySet<UnitOrigin> = new Set([
  'discovery',
  'bridge-exposes',
  'payload-sibling',
]);

/**
 * QUDT quantity kinds of Home Assistant sensor device classes, used only
 * when a discovery configuration gives a device class and no unit.
 */
const DEVICE_CLASS_KINDS: Readonly<Record<string, string>> = {
  apparent_power: 'ApparentPower',
  atmospheric_pressure: 'Pressure',
  current: 'ElectricCurrent',
  distance: 'Length',
  duration: 'Time',
  energy: 'Energy',
  frequency: 'Frequency',
  humidity: 'RelativeHumidity',
  illuminance: 'Illuminance',
  power: 'Power',
  pressure: 'Pressure',
  reactive_power: 'ReactivePower',
  signal_strength: 'SignalStrength',
  speed: 'Speed',
  temperature: 'Temperature',
  voltage: 'Voltage',
  volume: 'Volume',
  weight: 'Mass',
};

/** A unit text that has no UCUM code in the unit table. */
export interface UnknownUnit {
  path: string;
  unitText: string;
  origin?: UnitOrigin;
}

export class PropertySet {
  private readonly properties = new Map<string, HarvestedProperty>();
  private readonly deviceClasses = new Map<string, string>();
  private readonly origins = new Map<string, UnitOrigin>();
  readonly unknownUnits: UnknownUnit[] = [];

  constructor(schemas: readonly PropertySchema[]) {
    for (const schema of schemas) {
      this.properties.set(schema.name, fromSchema(schema));
    }
  }

  /** Apply hints in order; a later hint for the same property overrides the unit, label and description of an earlier one. */
  apply(hints: readonly PropertyHint[]): void {
    for (const hint of hints) {
      this.applyHint(hint);
    }
  }

  /** Return the origin of each property's unit, by property path. */
  unitOrigins(): Record<string, UnitOrigin> {
    return Object.fromEntries(this.origins);
  }

  /** Return the properties in first-seen order, with quantity kinds filled in. */
  list(): HarvestedProperty[] {
    const list: HarvestedProperty[] = [];
    for (const property of this.properties.values()) {
      list.push(withoutUndefined(this.withQuantityKind(property)));
    }
    return list;
  }

  private applyHint(hint: PropertyHint): void {
    const property = this.propertyFor(hint.path);

    if (hint.unitText !== undefined) {
      this.applyUnit(property, hint.path, hint.unitText, hint.unitOrigin);
    }
    if (hint.quantityKind !== undefined) {
      property.quantityKind = hint.quantityKind;
    }
    if (hint.label !== undefined) {
      property.label = hint.label;
    }
    if (hint.description !== undefined) {
      property.description = hint.description;
    }
    if (hint.deviceClass !== undefined) {
      this.deviceClasses.set(hint.path, hint.deviceClass);
    }
  }

  private applyUnit(
    property: HarvestedProperty,
    path: string,
    unitText: string,
    origin: UnitOrigin | undefined,
  ): void {
    const info = normalizeUnit(unitText);
    const stated = origin === undefined || STATED_ORIGINS.has(origin);

    property.unit = info?.ucum;
    property.unitSourceText = stated ? unitText : undefined;
    property.quantityKind = info?.quantityKind;
    if (origin !== undefined) {
      this.origins.set(path, origin);
    }
    if (info === undefined) {
      this.unknownUnits.push({ path, unitText, origin });
    }
  }

  private propertyFor(path: string): HarvestedProperty {
    const existing = this.properties.get(path);
    if (existing !== undefined) {
      return existing;
    }
    // Declared by a describing topic but not seen in any payload yet.
    const declared: HarvestedProperty = { name: path, datatypes: [], observedCount: 0 };
    this.properties.set(path, declared);
    return declared;
  }

  /**
   * Fill in a quantity kind where no unit gave one: from the device class,
   * or, for numeric properties, from an unambiguous key name. A percentage
   * of a humidity is a relative humidity rather than a plain ratio.
   */
  private withQuantityKind(property: HarvestedProperty): HarvestedProperty {
    const deviceClass = this.deviceClasses.get(property.name);
    const classKind = deviceClass !== undefined ? DEVICE_CLASS_KINDS[deviceClass] : undefined;
    const numeric = property.datatypes.some(
      (datatype) => datatype === 'xsd:integer' || datatype === 'xsd:double',
    );
    const nameKind =
      numeric && property.name !== ROOT_PATH ? quantityKindFromName(property.name) : undefined;
    const specificKind = classKind ?? nameKind;

    if (property.unitSourceText === undefined && property.unit === undefined) {
      return specificKind !== undefined ? { ...property, quantityKind: specificKind } : property;
    }
    if (property.quantityKind === 'DimensionlessRatio' && specificKind === 'RelativeHumidity') {
      return { ...property, quantityKind: specificKind };
    }
    return property;
  }
}

function fromSchema(schema: PropertySchema): HarvestedProperty {
  const property: HarvestedProperty = {
    name: schema.name,
    datatypes: schema.datatypes,
    observedCount: schema.observedCount,
  };
  if (schema.minimum !== undefined) {
    property.minimum = schema.minimum;
  }
  if (schema.maximum !== undefined) {
    property.maximum = schema.maximum;
  }
  if (schema.anomalies !== undefined) {
    property.anomalies = schema.anomalies;
  }
  if (schema.enumValues !== undefined) {
    property.enumValues = schema.enumValues;
  }
  return property;
}

function withoutUndefined(property: HarvestedProperty): HarvestedProperty {
  const copy = { ...property };
  for (const key of Object.keys(copy) as Array<keyof HarvestedProperty>) {
    if (copy[key] === undefined) {
      delete copy[key];
    }
  }
  return copy;
}
