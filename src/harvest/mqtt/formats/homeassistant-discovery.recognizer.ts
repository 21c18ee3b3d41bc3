import { appendArrayItem, appendKey, ROOT_PATH } from '../property-path';
import type { DeviceInfo } from './format.types';
import { compactDevice, errorMessage, isRecord, stringOrUndefined } from './json-values';

/**
 * Home Assistant MQTT discovery: a retained JSON configuration on
 * `<discovery_prefix>/<component>/[<node_id>/]<object_id>/config` describes
 * one entity whose values arrive on its `state_topic`. It gives the unit, the
 * device class, the template that picks the value out of the payload, and
 * the device (manufacturer, model, name, identifiers, software version,
 * suggested area). Recent Home Assistant releases also accept one
 * configuration on `<prefix>/device/<node_id>/config` that describes several
 * entities in `cmps`. Keys may be abbreviated (`stat_t`, `unit_of_meas`,
 * `dev`, `mf`), and a `~` at the start or end of a topic stands for the base
 * topic given in `~`. A zero-length retained payload deletes the entity.
 */

export const DISCOVERY_PREFIX = 'homeassistant';

/** Components (entity platforms) of Home Assistant's MQTT integration, and `device` for device discovery. */
const COMPONENTS = new Set([
  'alarm_control_panel',
  'binary_sensor',
  'button',
  'camera',
  'climate',
  'cover',
  'device',
  'device_automation',
  'device_tracker',
  'event',
  'fan',
  'humidifier',
  'image',
  'lawn_mower',
  'light',
  'lock',
  'notify',
  'number',
  'scene',
  'select',
  'sensor',
  'siren',
  'switch',
  'tag',
  'text',
  'update',
  'vacuum',
  'valve',
  'water_heater',
]);

/** The abbreviations used in practice, from Home Assistant's list of discovery abbreviations. */
const ENTITY_ABBREVIATIONS: Readonly<Record<string, string>> = {
  avty: 'availability',
  avty_mode: 'availability_mode',
  avty_t: 'availability_topic',
  avty_tpl: 'availability_template',
  cmd_t: 'command_topic',
  cmd_tpl: 'command_template',
  cmps: 'components',
  dev: 'device',
  dev_cla: 'device_class',
  en: 'enabled_by_default',
  ent_cat: 'entity_category',
  exp_aft: 'expire_after',
  frc_upd: 'force_update',
  ic: 'icon',
  json_attr_t: 'json_attributes_topic',
  json_attr_tpl: 'json_attributes_template',
  o: 'origin',
  obj_id: 'object_id',
  p: 'platform',
  pl_avail: 'payload_available',
  pl_not_avail: 'payload_not_available',
  pl_off: 'payload_off',
  pl_on: 'payload_on',
  stat_cla: 'state_class',
  stat_t: 'state_topic',
  stat_val_tpl: 'state_value_template',
  sug_dsp_prc: 'suggested_display_precision',
  t: 'topic',
  uniq_id: 'unique_id',
  unit_of_meas: 'unit_of_measurement',
  val_tpl: 'value_template',
};

const DEVICE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  cns: 'connections',
  cu: 'configuration_url',
  hw: 'hw_version',
  ids: 'identifiers',
  mdl: 'model',
  mdl_id: 'model_id',
  mf: 'manufacturer',
  sa: 'suggested_area',
  sn: 'serial_number',
  sw: 'sw_version',
};

export interface DiscoveryTopic {
  /** Discovery prefix (`homeassistant`, or a deployment's own). */
  prefix: string;
  component: string;
  nodeId?: string;
  objectId: string;
  /** True when the prefix level is `homeassistant`; a topic matched by its component level alone may be something else. */
  certain: boolean;
}

/** One entity a discovery configuration describes. */
export interface DiscoveryEntity {
  configTopic: string;
  component: string;
  objectId: string;
  uniqueId?: string;
  /** The entity's name; absent when Home Assistant shows the device name alone. */
  name?: string;
  stateTopic?: string;
  valueTemplate?: string;
  /** Path of the value in the state payload; undefined when the template is more than a plain accessor. */
  valuePath?: string;
  /** Unit exactly as written, blanks included. */
  unitText?: string;
  deviceClass?: string;
  stateClass?: string;
  availabilityTopics: string[];
  jsonAttributesTopic?: string;
  device?: DeviceInfo;
  /** Home Assistant's `model` (a model name) when `model_id` gave the device's model. */
  modelName?: string;
  suggestedArea?: string;
  /** The software that published the configuration (`Zigbee2MQTT`). */
  origin?: string;
}

export type DiscoveryConfig =
  | { status: 'config'; entities: DiscoveryEntity[] }
  | { status: 'deleted' }
  | { status: 'invalid'; reason: string };

/**
 * Split a discovery configuration topic. The prefix is found as a level
 * named `homeassistant` (so a deployment under a prefix is found too), or
 * else as the level before a known component.
 */
export function splitDiscoveryTopic(levels: readonly string[]): DiscoveryTopic | undefined {
  const count = levels.length;
  if (count < 4 || levels[count - 1] !== 'config') {
    return undefined;
  }

  if (count >= 5 && levels[count - 5] === DISCOVERY_PREFIX) {
    return withNode(levels, true);
  }
  if (levels[count - 4] === DISCOVERY_PREFIX) {
    return withoutNode(levels, true);
  }
  if (count >= 5 && COMPONENTS.has(levels[count - 4])) {
    return withNode(levels, false);
  }
  if (COMPONENTS.has(levels[count - 3])) {
    return withoutNode(levels, false);
  }
  return undefined;
}

function withNode(levels: readonly string[], certain: boolean): DiscoveryTopic {
  const count = levels.length;
  return {
    prefix: levels.slice(0, count - 4).join('/'),
    component: levels[count - 4],
    nodeId: levels[count - 3],
    objectId: levels[count - 2],
    certain,
  };
}

function withoutNode(levels: readonly string[], certain: boolean): DiscoveryTopic {
  const count = levels.length;
  return {
    prefix: levels.slice(0, count - 3).join('/'),
    component: levels[count - 3],
    objectId: levels[count - 2],
    certain,
  };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parse a discovery configuration payload. Never throws: a payload Home Assistant would ignore is `invalid` with the reason. */
export function parseDiscoveryConfig(
  configTopic: string,
  topic: DiscoveryTopic,
  payload: Uint8Array,
): DiscoveryConfig {
  if (payload.length === 0) {
    return { status: 'deleted' };
  }

  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(payload));
  } catch (error) {
    return {
      status: 'invalid',
      reason: `the payload is not JSON in UTF-8 (${errorMessage(error)})`,
    };
  }

  if (!isRecord(value)) {
    const found =
      value === null ? 'null' : Array.isArray(value) ? 'an array' : `a JSON ${typeof value}`;
    return {
      status: 'invalid',
      reason: `the payload is ${found}, not an object; an entity is deleted with a zero-length retained payload`,
    };
  }

  const config = expandConfig(value);
  if (topic.component === 'device') {
    return { status: 'config', entities: deviceEntities(configTopic, topic, config) };
  }
  return {
    status: 'config',
    entities: [entityFrom(configTopic, topic.component, topic.objectId, config)],
  };
}

/** Expand abbreviations and `~` in the configuration and in its device, origin, availability and components. */
function expandConfig(raw: Record<string, unknown>): Record<string, unknown> {
  const config = renameKeys(raw, ENTITY_ABBREVIATIONS);
  const base = typeof config['~'] === 'string' ? config['~'] : undefined;

  if (isRecord(config.device)) {
    config.device = renameKeys(config.device, DEVICE_ABBREVIATIONS);
  }
  if (isRecord(config.origin)) {
    config.origin = renameKeys(config.origin, DEVICE_ABBREVIATIONS);
  }
  if (Array.isArray(config.availability)) {
    const entries: unknown[] = config.availability;
    config.availability = entries.map((entry) =>
      isRecord(entry) ? expandBase(renameKeys(entry, ENTITY_ABBREVIATIONS), base) : entry,
    );
  }
  if (isRecord(config.components)) {
    const components: Record<string, unknown> = {};
    for (const [id, component] of Object.entries(config.components)) {
      if (id === '__proto__') {
        continue;
      }
      components[id] = isRecord(component)
        ? expandBase(renameKeys(component, ENTITY_ABBREVIATIONS), base)
        : component;
    }
    config.components = components;
  }
  return expandBase(config, base);
}

function renameKeys(
  record: Record<string, unknown>,
  abbreviations: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    // Assigning "__proto__" would replace the prototype of `renamed` instead of adding a key.
    if (key === '__proto__') {
      continue;
    }
    const full = Object.hasOwn(abbreviations, key) ? abbreviations[key] : key;
    // A full key written beside its abbreviation wins.
    if (!(full in renamed) || full === key) {
      renamed[full] = value;
    }
  }
  return renamed;
}

/** Replace a `~` at the start or end of each `*_topic` value (and an availability entry's `topic`) with the base. */
function expandBase(
  record: Record<string, unknown>,
  base: string | undefined,
): Record<string, unknown> {
  if (base === undefined) {
    return record;
  }
  for (const [key, value] of Object.entries(record)) {
    const isTopic = key === 'topic' || key.endsWith('_topic');
    if (!isTopic || typeof value !== 'string') {
      continue;
    }
    if (value.startsWith('~')) {
      record[key] = base + value.slice(1);
    } else if (value.endsWith('~')) {
      record[key] = value.slice(0, -1) + base;
    }
  }
  return record;
}

/** Device discovery: shared options at the top level, one entity per entry of `components`. */
function deviceEntities(
  configTopic: string,
  topic: DiscoveryTopic,
  config: Record<string, unknown>,
): DiscoveryEntity[] {
  if (!isRecord(config.components)) {
    return [];
  }
  const { components, ...shared } = config;
  const entities: DiscoveryEntity[] = [];
  for (const [id, component] of Object.entries(components)) {
    if (!isRecord(component)) {
      continue;
    }
    const platform = stringOrUndefined(component.platform) ?? 'device';
    entities.push(
      entityFrom(configTopic, platform, `${topic.objectId}/${id}`, { ...shared, ...component }),
    );
  }
  return entities;
}

function entityFrom(
  configTopic: string,
  component: string,
  objectId: string,
  config: Record<string, unknown>,
): DiscoveryEntity {
  const valueTemplate = stringOrUndefined(config.value_template);
  const device = isRecord(config.device) ? config.device : undefined;
  const origin = isRecord(config.origin) ? config.origin : undefined;
  const unit = config.unit_of_measurement;

  return {
    configTopic,
    component,
    objectId: stringOrUndefined(config.object_id) ?? objectId,
    uniqueId: stringOrUndefined(config.unique_id),
    name: stringOrUndefined(config.name),
    stateTopic: stringOrUndefined(config.state_topic),
    valueTemplate,
    valuePath: valueTemplatePath(valueTemplate),
    unitText: typeof unit === 'string' && unit !== '' ? unit : undefined,
    deviceClass: stringOrUndefined(config.device_class),
    stateClass: stringOrUndefined(config.state_class),
    availabilityTopics: availabilityTopics(config),
    jsonAttributesTopic: stringOrUndefined(config.json_attributes_topic),
    device: device !== undefined ? discoveryDevice(device) : undefined,
    modelName:
      device !== undefined && device.model_id !== undefined
        ? stringOrUndefined(device.model)
        : undefined,
    suggestedArea: device !== undefined ? stringOrUndefined(device.suggested_area) : undefined,
    origin: origin !== undefined ? stringOrUndefined(origin.name) : undefined,
  };
}

function availabilityTopics(config: Record<string, unknown>): string[] {
  const topics: string[] = [];
  const single = stringOrUndefined(config.availability_topic);
  if (single !== undefined) {
    topics.push(single);
  }
  if (Array.isArray(config.availability)) {
    for (const entry of config.availability) {
      const topic = isRecord(entry) ? stringOrUndefined(entry.topic) : undefined;
      if (topic !== undefined) {
        topics.push(topic);
      }
    }
  }
  return topics;
}

/** Device facts; `model_id` (a model code such as `WSDCGQ11LM`) is preferred over `model` (a model name). */
function discoveryDevice(device: Record<string, unknown>): DeviceInfo | undefined {
  return compactDevice({
    manufacturer: stringOrUndefined(device.manufacturer),
    model: stringOrUndefined(device.model_id) ?? stringOrUndefined(device.model),
    name: stringOrUndefined(device.name),
    identifiers: deviceIdentifiers(device),
    softwareVersion: stringOrUndefined(device.sw_version),
  });
}

/** `identifiers` is a list or a single string; `connections` pairs (`["mac", "..."]`) are added as `mac:...`. */
function deviceIdentifiers(device: Record<string, unknown>): string[] | undefined {
  const identifiers: string[] = [];
  const raw = device.identifiers;
  if (typeof raw === 'string' && raw !== '') {
    identifiers.push(raw);
  } else if (Array.isArray(raw)) {
    for (const identifier of raw) {
      if (typeof identifier === 'string' && identifier !== '') {
        identifiers.push(identifier);
      }
    }
  }
  if (Array.isArray(device.connections)) {
    for (const connection of device.connections) {
      if (Array.isArray(connection) && connection.length === 2) {
        identifiers.push(`${String(connection[0])}:${String(connection[1])}`);
      }
    }
  }
  return identifiers.length > 0 ? identifiers : undefined;
}

const WHOLE_VALUE = /^\s*\{\{\s*value\s*(\|[^}]*)?\}\}\s*$/;
const JSON_ACCESSOR =
  /^\s*\{\{\s*value_json((?:\s*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\s*(?:'[^']*'|"[^"]*"|\d+)\s*\]))+)\s*(\|[^}]*)?\}\}\s*$/;
const ACCESSOR_PART = /\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\]/g;

/**
 * Read the payload path from a value template: `{{ value_json.temperature }}`,
 * `{{ value_json['ENERGY']['Total'] }}` and `{{ value_json["a"].b | float }}`
 * are plain accessors; no template (or `{{ value }}`) means the whole
 * payload. Any other template returns undefined, because only Jinja can
 * evaluate it.
 */
export function valueTemplatePath(template: string | undefined): string | undefined {
  if (template === undefined || WHOLE_VALUE.test(template)) {
    return ROOT_PATH;
  }
  const match = JSON_ACCESSOR.exec(template);
  if (match === null) {
    return undefined;
  }

  let path = ROOT_PATH;
  for (const part of match[1].matchAll(ACCESSOR_PART)) {
    const key = part[1] ?? part[2] ?? part[3];
    path = key !== undefined ? appendKey(path, key) : appendArrayItem(path);
  }
  return path;
}
