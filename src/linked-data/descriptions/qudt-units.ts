/** Namespace of the QUDT unit vocabulary. */
const QUDT_UNITS = 'http://qudt.org/vocab/unit/';

/**
 * QUDT unit for each UCUM code of the shared unit table (src/units/). Every
 * local name was checked to exist, not deprecated, in the QUDT data that
 * the npm package @qudtlib/allunits 7.1.0 bundles. Codes without a QUDT
 * unit (`mW.h`) are left out; their properties keep the UCUM code only.
 */
const QUDT_UNIT_OF_UCUM: Readonly<Record<string, string>> = {
  Cel: 'DEG_C',
  '[degF]': 'DEG_F',
  K: 'K',
  '%': 'PERCENT',
  W: 'W',
  kW: 'KiloW',
  'W.h': 'W-HR',
  'kW.h': 'KiloW-HR',
  V: 'V',
  mV: 'MilliV',
  A: 'A',
  mA: 'MilliA',
  Hz: 'HZ',
  'V.A': 'VA',
  var: 'VAR',
  hPa: 'HectoPA',
  Pa: 'PA',
  kPa: 'KiloPA',
  bar: 'BAR',
  lx: 'LUX',
  '[ppm]': 'PPM',
  '[ppb]': 'PPB',
  'ug/m3': 'MicroGM-PER-M3',
  s: 'SEC',
  ms: 'MilliSEC',
  min: 'MIN',
  h: 'HR',
  d: 'DAY',
  dB: 'DeciB',
  'dB[mW]': 'DeciB_M',
  m: 'M',
  mm: 'MilliM',
  cm: 'CentiM',
  km: 'KiloM',
  'm/s': 'M-PER-SEC',
  'km/h': 'KiloM-PER-HR',
  L: 'L',
  m3: 'M3',
  'L/min': 'L-PER-MIN',
  'm3/h': 'M3-PER-HR',
  kg: 'KiloGM',
  g: 'GM',
  N: 'N',
  'N.m': 'N-M',
  '/min': 'REV-PER-MIN',
  deg: 'DEG',
  B: 'BYTE',
  kB: 'KiloBYTE',
  'mm/h': 'MilliM-PER-HR',
  'S/m': 'S-PER-M',
  'uS/cm': 'MicroS-PER-CentiM',
  '[pH]': 'PH',
  Ohm: 'OHM',
};

/** Return the QUDT unit IRI of a UCUM code, or undefined when QUDT has no unit the table maps it to. */
export function qudtUnitIri(ucumCode: string | null): string | undefined {
  if (ucumCode === null) {
    return undefined;
  }
  const localName = QUDT_UNIT_OF_UCUM[ucumCode];
  return localName === undefined ? undefined : `${QUDT_UNITS}${localName}`;
}
