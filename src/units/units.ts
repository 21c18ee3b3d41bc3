/**
 * Unit normalisation: maps the unit spellings that devices and servers use
 * to UCUM codes (https://ucum.org/ucum) and QUDT quantity kinds
 * (http://qudt.org/vocab/quantitykind/). One table serves every harvester so
 * the same physical unit gets the same code whether it came from MQTT,
 * OPC UA EngineeringUnits (UNECE Rec. 20 common codes) or InfluxDB.
 */

export interface UnitInfo {
  /** UCUM case-sensitive code. */
  ucum: string;
  /** QUDT quantity kind local name, when the unit implies one. */
  quantityKind?: string;
  /** UNECE Recommendation 20 common code, used by OPC UA EUInformation (Part 8, 5.6.3). */
  unece?: string;
  /** A human symbol for display. */
  symbol: string;
}

interface UnitEntry extends UnitInfo {
  /** Spellings seen in the field, compared after trimming and case folding. */
  aliases: string[];
}

const UNITS: UnitEntry[] = [
  {
    ucum: 'Cel',
    symbol: '°C',
    unece: 'CEL',
    quantityKind: 'Temperature',
    aliases: ['°c', '℃', 'c', 'degc', 'celsius', 'deg c', 'degrees_celsius', 'cel'],
  },
  {
    ucum: '[degF]',
    symbol: '°F',
    unece: 'FAH',
    quantityKind: 'Temperature',
    aliases: ['°f', '℉', 'f', 'degf', 'fahrenheit', 'deg f', 'degrees_fahrenheit', '[degf]'],
  },
  { ucum: 'K', symbol: 'K', unece: 'KEL', quantityKind: 'Temperature', aliases: ['k', 'kelvin'] },
  {
    ucum: '%',
    symbol: '%',
    unece: 'P1',
    quantityKind: 'DimensionlessRatio',
    aliases: ['%', 'percent', 'pct'],
  },
  { ucum: 'W', symbol: 'W', unece: 'WTT', quantityKind: 'Power', aliases: ['w', 'watt', 'watts'] },
  { ucum: 'kW', symbol: 'kW', unece: 'KWT', quantityKind: 'Power', aliases: ['kw', 'kilowatt'] },
  {
    ucum: 'W.h',
    symbol: 'Wh',
    unece: 'WHR',
    quantityKind: 'Energy',
    aliases: ['wh', 'watt-hour', 'w.h'],
  },
  {
    ucum: 'kW.h',
    symbol: 'kWh',
    unece: 'KWH',
    quantityKind: 'Energy',
    aliases: ['kwh', 'kilowatt-hour', 'kw.h'],
  },
  {
    ucum: 'V',
    symbol: 'V',
    unece: 'VLT',
    quantityKind: 'Voltage',
    aliases: ['v', 'volt', 'volts'],
  },
  { ucum: 'mV', symbol: 'mV', unece: '2Z', quantityKind: 'Voltage', aliases: ['mv', 'millivolt'] },
  {
    ucum: 'A',
    symbol: 'A',
    unece: 'AMP',
    quantityKind: 'ElectricCurrent',
    aliases: ['a', 'ampere', 'amp', 'amps'],
  },
  {
    ucum: 'mA',
    symbol: 'mA',
    unece: '4K',
    quantityKind: 'ElectricCurrent',
    aliases: ['ma', 'milliampere'],
  },
  { ucum: 'Hz', symbol: 'Hz', unece: 'HTZ', quantityKind: 'Frequency', aliases: ['hz', 'hertz'] },
  {
    ucum: 'V.A',
    symbol: 'VA',
    unece: 'D46',
    quantityKind: 'ApparentPower',
    aliases: ['va', 'v.a'],
  },
  {
    ucum: 'var',
    symbol: 'var',
    unece: 'D44',
    quantityKind: 'ReactivePower',
    aliases: ['var', 'vAr'.toLowerCase()],
  },
  {
    ucum: 'hPa',
    symbol: 'hPa',
    unece: 'A97',
    quantityKind: 'Pressure',
    aliases: ['hpa', 'hectopascal', 'mbar'],
  },
  { ucum: 'Pa', symbol: 'Pa', unece: 'PAL', quantityKind: 'Pressure', aliases: ['pa', 'pascal'] },
  {
    ucum: 'kPa',
    symbol: 'kPa',
    unece: 'KPA',
    quantityKind: 'Pressure',
    aliases: ['kpa', 'kilopascal'],
  },
  { ucum: 'bar', symbol: 'bar', unece: 'BAR', quantityKind: 'Pressure', aliases: ['bar'] },
  { ucum: 'lx', symbol: 'lx', unece: 'LUX', quantityKind: 'Illuminance', aliases: ['lx', 'lux'] },
  {
    ucum: '[ppm]',
    symbol: 'ppm',
    unece: '59',
    quantityKind: 'DimensionlessRatio',
    aliases: ['ppm', '[ppm]'],
  },
  {
    ucum: '[ppb]',
    symbol: 'ppb',
    unece: '61',
    quantityKind: 'DimensionlessRatio',
    aliases: ['ppb', '[ppb]'],
  },
  {
    ucum: 'ug/m3',
    symbol: 'µg/m³',
    unece: 'GQ',
    quantityKind: 'MassConcentration',
    aliases: ['µg/m³', 'μg/m³', 'ug/m3', 'µg/m3', 'ug/m³'],
  },
  {
    ucum: 's',
    symbol: 's',
    unece: 'SEC',
    quantityKind: 'Time',
    aliases: ['s', 'sec', 'second', 'seconds'],
  },
  {
    ucum: 'ms',
    symbol: 'ms',
    unece: 'C26',
    quantityKind: 'Time',
    aliases: ['ms', 'millisecond', 'milliseconds'],
  },
  {
    ucum: 'min',
    symbol: 'min',
    unece: 'MIN',
    quantityKind: 'Time',
    aliases: ['min', 'minute', 'minutes'],
  },
  { ucum: 'h', symbol: 'h', unece: 'HUR', quantityKind: 'Time', aliases: ['h', 'hour', 'hours'] },
  { ucum: 'd', symbol: 'd', unece: 'DAY', quantityKind: 'Time', aliases: ['d', 'day', 'days'] },
  { ucum: 'dB', symbol: 'dB', unece: '2N', quantityKind: 'SoundPressureLevel', aliases: ['db'] },
  {
    ucum: 'dB[mW]',
    symbol: 'dBm',
    unece: 'DBM',
    quantityKind: 'SignalStrength',
    aliases: ['dbm', 'db[mw]'],
  },
  {
    ucum: 'm',
    symbol: 'm',
    unece: 'MTR',
    quantityKind: 'Length',
    aliases: ['m', 'metre', 'meter'],
  },
  {
    ucum: 'mm',
    symbol: 'mm',
    unece: 'MMT',
    quantityKind: 'Length',
    aliases: ['mm', 'millimetre', 'millimeter'],
  },
  {
    ucum: 'cm',
    symbol: 'cm',
    unece: 'CMT',
    quantityKind: 'Length',
    aliases: ['cm', 'centimetre', 'centimeter'],
  },
  { ucum: 'km', symbol: 'km', unece: 'KMT', quantityKind: 'Length', aliases: ['km'] },
  { ucum: 'm/s', symbol: 'm/s', unece: 'MTS', quantityKind: 'Speed', aliases: ['m/s'] },
  { ucum: 'km/h', symbol: 'km/h', unece: 'KMH', quantityKind: 'Speed', aliases: ['km/h', 'kph'] },
  {
    ucum: 'L',
    symbol: 'L',
    unece: 'LTR',
    quantityKind: 'Volume',
    aliases: ['l', 'litre', 'liter'],
  },
  { ucum: 'm3', symbol: 'm³', unece: 'MTQ', quantityKind: 'Volume', aliases: ['m³', 'm3'] },
  {
    ucum: 'L/min',
    symbol: 'L/min',
    unece: 'L2',
    quantityKind: 'VolumeFlowRate',
    aliases: ['l/min'],
  },
  {
    ucum: 'm3/h',
    symbol: 'm³/h',
    unece: 'MQH',
    quantityKind: 'VolumeFlowRate',
    aliases: ['m³/h', 'm3/h'],
  },
  { ucum: 'kg', symbol: 'kg', unece: 'KGM', quantityKind: 'Mass', aliases: ['kg', 'kilogram'] },
  { ucum: 'g', symbol: 'g', unece: 'GRM', quantityKind: 'Mass', aliases: ['g', 'gram'] },
  { ucum: 'N', symbol: 'N', unece: 'NEW', quantityKind: 'Force', aliases: ['n', 'newton'] },
  {
    ucum: 'N.m',
    symbol: 'N·m',
    unece: 'NU',
    quantityKind: 'Torque',
    aliases: ['nm', 'n.m', 'n·m'],
  },
  {
    ucum: '/min',
    symbol: 'rpm',
    unece: 'RPM',
    quantityKind: 'RotationalVelocity',
    aliases: ['rpm', '1/min', '/min'],
  },
  {
    ucum: 'deg',
    symbol: '°',
    unece: 'DD',
    quantityKind: 'Angle',
    aliases: ['°', 'deg', 'degree', 'degrees'],
  },
  {
    ucum: 'B',
    symbol: 'B',
    unece: 'AD',
    quantityKind: 'InformationEntropy',
    aliases: ['b', 'byte', 'bytes'],
  },
  {
    ucum: 'kB',
    symbol: 'kB',
    unece: '2P',
    quantityKind: 'InformationEntropy',
    aliases: ['kb', 'kilobyte'],
  },
  { ucum: 'mm/h', symbol: 'mm/h', quantityKind: 'Speed', aliases: ['mm/h'] },
  { ucum: 'S/m', symbol: 'S/m', unece: 'D10', quantityKind: 'Conductivity', aliases: ['s/m'] },
  {
    ucum: 'uS/cm',
    symbol: 'µS/cm',
    quantityKind: 'Conductivity',
    aliases: ['µs/cm', 'us/cm', 'μs/cm'],
  },
  { ucum: '[pH]', symbol: 'pH', quantityKind: 'PH', aliases: ['ph', '[ph]'] },
  // U+2126 OHM SIGN and U+03A9 GREEK CAPITAL LETTER OMEGA both fold to 'ω' in lower case.
  {
    ucum: 'Ohm',
    symbol: 'Ω',
    unece: 'OHM',
    quantityKind: 'Resistance',
    aliases: ['ohm', 'ohms', 'ω'],
  },
  // No lower-case alias: 'mwh' would also match megawatt-hours (MWh).
  { ucum: 'mW.h', symbol: 'mWh', quantityKind: 'Energy', aliases: [] },
];

const BY_ALIAS = new Map<string, UnitEntry>();
const BY_UCUM = new Map<string, UnitEntry>();
const BY_UNECE = new Map<string, UnitEntry>();
for (const entry of UNITS) {
  BY_UCUM.set(entry.ucum, entry);
  if (entry.unece !== undefined) {
    BY_UNECE.set(entry.unece, entry);
  }
  for (const alias of entry.aliases) {
    BY_ALIAS.set(alias, entry);
  }
}

function toInfo(entry: UnitEntry): UnitInfo {
  const { aliases: _aliases, ...info } = entry;
  return info;
}

/**
 * Look up a unit as a device or server wrote it (`°C`, `kWh`, `W`, `Cel`).
 * Returns undefined for spellings the table does not know; callers keep the
 * source text so nothing is lost.
 */
export function normalizeUnit(text: string | undefined | null): UnitInfo | undefined {
  if (text === undefined || text === null) {
    return undefined;
  }
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  const exact = BY_UCUM.get(trimmed);
  if (exact !== undefined) {
    return toInfo(exact);
  }
  const entry = BY_ALIAS.get(trimmed.toLowerCase());
  return entry === undefined ? undefined : toInfo(entry);
}

/** Look up a unit by its UCUM code. */
export function unitByUcum(code: string): UnitInfo | undefined {
  const entry = BY_UCUM.get(code);
  return entry === undefined ? undefined : toInfo(entry);
}

/** Look up a unit by its UNECE Rec. 20 common code (`CEL`, `KWH`). */
export function unitByUnece(code: string): UnitInfo | undefined {
  const entry = BY_UNECE.get(code.trim().toUpperCase());
  return entry === undefined ? undefined : toInfo(entry);
}

/**
 * Decode an OPC UA EUInformation.unitId into its UNECE common code. Part 8,
 * 5.6.3 packs the code's ASCII characters into an Int32, most significant
 * byte first, with leading zero bytes for shorter codes.
 */
export function decodeUneceUnitId(unitId: number): string | undefined {
  if (!Number.isInteger(unitId) || unitId <= 0) {
    return undefined;
  }
  let code = '';
  for (let shift = 24; shift >= 0; shift -= 8) {
    const byte = (unitId >>> shift) & 0xff;
    if (byte !== 0) {
      code += String.fromCharCode(byte);
    }
  }
  return /^[0-9A-Z]{1,3}$/.test(code) ? code : undefined;
}

/**
 * Guess a QUDT quantity kind from a property name when no unit says it
 * (`temperature`, `humidity`, `linkquality`). Only names that are
 * unambiguous in device payloads are listed.
 */
export function quantityKindFromName(name: string): string | undefined {
  const leaf = name.split(/[./]/).pop()?.toLowerCase() ?? '';
  const table: Record<string, string> = {
    temperature: 'Temperature',
    humidity: 'RelativeHumidity',
    pressure: 'Pressure',
    illuminance: 'Illuminance',
    illuminance_lux: 'Illuminance',
    co2: 'DimensionlessRatio',
    voltage: 'Voltage',
    current: 'ElectricCurrent',
    power: 'Power',
    energy: 'Energy',
    frequency: 'Frequency',
    battery: 'DimensionlessRatio',
  };
  return table[leaf];
}
