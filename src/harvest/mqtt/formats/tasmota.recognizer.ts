import { pathKeys } from '../property-path';
import type { PropertyHint, TopicRecognition, TopicRole, TopicView } from './format.types';
import { leafKey, singleStringValue } from './schema-lookup';

/**
 * Tasmota: the FullTopic puts a prefix level (`tele` for telemetry, `stat`
 * for command results, `cmnd` for commands) before or after the device
 * topic, and the last level names the message. `tele/<topic>/SENSOR` and
 * `STATE` come every TelePeriod, `LWT` is a retained `Online`/`Offline`, and
 * `stat/<topic>/RESULT` and `POWER` report command results. Sensor payloads carry no
 * units beside `TempUnit`, `PressureUnit` and `SpeedUnit`, but the firmware
 * fixes the units of the energy and status keys.
 */

const PREFIXES = new Set(['tele', 'stat', 'cmnd']);

const MESSAGE_NAME = /^(SENSOR|STATE|LWT|RESULT|UPTIME|MARGINS|INFO\d|STATUS\d{0,2}|POWER\d{0,2})$/;

/** Keys whose unit a sibling key states, by the sibling's name. */
const SIBLING_UNITS: ReadonlyArray<{ sibling: string; keys: ReadonlySet<string> }> = [
  {
    sibling: 'TempUnit',
    keys: new Set(['Temperature', 'DewPoint', 'Temperature1', 'Temperature2']),
  },
  { sibling: 'PressureUnit', keys: new Set(['Pressure', 'SeaPressure']) },
  { sibling: 'SpeedUnit', keys: new Set(['Speed', 'WindSpeed']) },
];

/**
 * UCUM codes of the `ENERGY` keys, fixed by the firmware. Tasmota's own
 * discovery configurations give kWh for Total, Yesterday and Today.
 * NOTE: no document at hand confirms Period in Wh or, below, Heap in kB.
 */
const ENERGY_UNITS: Readonly<Record<string, string>> = {
  Total: 'kW.h',
  Yesterday: 'kW.h',
  Today: 'kW.h',
  ExportActive: 'kW.h',
  Period: 'W.h',
  Power: 'W',
  ActivePower: 'W',
  ApparentPower: 'V.A',
  ReactivePower: 'var',
  Voltage: 'V',
  Current: 'A',
  Frequency: 'Hz',
};

/** UCUM codes of `STATE` keys fixed by the firmware; `Wifi.RSSI` is a 0-100 link quality, not dBm. */
const STATE_UNITS: ReadonlyArray<{ path: readonly string[]; ucum: string }> = [
  { path: ['UptimeSec'], ucum: 's' },
  { path: ['Heap'], ucum: 'kB' },
  { path: ['Sleep'], ucum: 'ms' },
  { path: ['Vcc'], ucum: 'V' },
  { path: ['Wifi', 'RSSI'], ucum: '%' },
  { path: ['Wifi', 'Signal'], ucum: 'dB[mW]' },
];

const TIME_DESCRIPTION =
  'Device-local time; Tasmota leaves out the UTC offset unless SetOption52 is on.';

export interface TasmotaTopic {
  prefix: string;
  /** The device's topic (`%topic%`), which may span levels. */
  deviceTopic: string;
  message: string;
}

/**
 * Split a Tasmota topic. The device topic is the levels between the prefix
 * level and the message name (`tele/<topic>/SENSOR`, `site/tele/a/b/SENSOR`),
 * or the levels before the prefix when none are between (`<topic>/tele/SENSOR`).
 */
export function splitTasmotaTopic(levels: readonly string[]): TasmotaTopic | undefined {
  const message = levels[levels.length - 1];
  if (levels.length < 2 || !MESSAGE_NAME.test(message)) {
    return undefined;
  }

  let prefixIndex = -1;
  for (let index = levels.length - 2; index >= 0; index -= 1) {
    if (PREFIXES.has(levels[index])) {
      prefixIndex = index;
      break;
    }
  }
  if (prefixIndex < 0) {
    return undefined;
  }

  const between = levels.slice(prefixIndex + 1, -1);
  const before = levels.slice(0, prefixIndex);
  const deviceLevels = between.length > 0 ? between : before;
  if (deviceLevels.length === 0) {
    return undefined;
  }
  return { prefix: levels[prefixIndex], deviceTopic: deviceLevels.join('/'), message };
}

export function recognizeTasmota(view: TopicView): TopicRecognition | undefined {
  const split = splitTasmotaTopic(view.levels);
  if (split === undefined) {
    return undefined;
  }

  return {
    format: 'tasmota',
    role: tasmotaRole(split),
    title: `${split.deviceTopic} ${split.message}`,
    deviceName: split.deviceTopic,
    hints: tasmotaHints(view),
    keywords: [split.message],
  };
}

function tasmotaRole(split: TasmotaTopic): TopicRole {
  if (split.message === 'LWT') {
    return 'availability';
  }
  return split.prefix === 'cmnd' ? 'command' : 'state';
}

function tasmotaHints(view: TopicView): PropertyHint[] {
  const hints: PropertyHint[] = [];
  const siblingUnits = SIBLING_UNITS.map(({ sibling, keys }) => ({
    unit: singleStringValue(view.schema, sibling),
    keys,
  }));

  for (const property of view.schema.properties) {
    const keys = pathKeys(property.name);
    const leaf = leafKey(property.name);
    if (leaf === undefined) {
      continue;
    }

    const hint =
      siblingHint(property.name, leaf, siblingUnits) ?? conventionHint(property.name, keys);
    if (hint !== undefined) {
      hints.push(hint);
    } else if (keys.length === 1 && leaf === 'Time') {
      hints.push({ path: property.name, description: TIME_DESCRIPTION });
    }
  }
  return hints;
}

function siblingHint(
  path: string,
  leaf: string,
  siblingUnits: ReadonlyArray<{ unit: string | undefined; keys: ReadonlySet<string> }>,
): PropertyHint | undefined {
  for (const { unit, keys } of siblingUnits) {
    if (unit !== undefined && keys.has(leaf)) {
      return { path, unitText: unit, unitOrigin: 'payload-sibling' };
    }
  }
  return undefined;
}

function conventionHint(path: string, keys: readonly string[]): PropertyHint | undefined {
  if (keys.length === 2 && keys[0] === 'ENERGY') {
    const ucum = ENERGY_UNITS[keys[1]];
    return ucum !== undefined
      ? { path, unitText: ucum, unitOrigin: 'format-convention' }
      : undefined;
  }

  for (const entry of STATE_UNITS) {
    const matches =
      entry.path.length === keys.length && entry.path.every((key, index) => keys[index] === key);
    if (matches) {
      return { path, unitText: entry.ucum, unitOrigin: 'format-convention' };
    }
  }
  return undefined;
}
