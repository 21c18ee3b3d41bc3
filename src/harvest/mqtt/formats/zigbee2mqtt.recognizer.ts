import { appendKey, ROOT_PATH } from '../property-path';
import type {
  DeviceInfo,
  PropertyHint,
  RecognitionContext,
  TopicRecognition,
  TopicView,
} from './format.types';
import { compactDevice, isRecord, stringOrUndefined } from './json-values';
import { singleStringValue } from './schema-lookup';

/**
 * Zigbee2MQTT: each device publishes its state as a JSON object on
 * `<base>/<friendly name>`, where the friendly name may itself contain `/`.
 * `<base>/<friendly name>/availability` carries `online`/`offline`, as plain
 * text before 2.0 and as `{"state": ...}` since. `<base>/bridge/...`
 * describes the bridge and its devices: the retained `bridge/devices` list
 * gives each device's model, vendor and the units of its exposed features,
 * which the state payloads themselves never carry.
 */

/** The default base topic; a custom base is recognised once it publishes `bridge/devices` or `bridge/info`. */
export const ZIGBEE2MQTT_DEFAULT_BASE = 'zigbee2mqtt';

export interface ZigbeeTopic {
  baseTopic: string;
  /** Levels after the base topic. */
  rest: string[];
}

/** A device from `bridge/devices` or a `device_interview` event. */
export interface ZigbeeDevice {
  friendlyName: string;
  ieeeAddress?: string;
  /** Zigbee2MQTT's model code (`WSDCGQ11LM`), absent for unsupported devices. */
  model?: string;
  vendor?: string;
  description?: string;
  /** The model id the device reports over Zigbee (`lumi.weather`). */
  modelId?: string;
  softwareBuildId?: string;
  powerSource?: string;
  supported?: boolean;
  /** Units and labels of the exposed features, by property path. */
  exposes: PropertyHint[];
}

export interface ZigbeeBridgeInfo {
  version?: string;
  coordinatorType?: string;
}

/**
 * Split a topic into its Zigbee2MQTT base topic and the levels after it.
 * The longest known base wins; otherwise the first level named `zigbee2mqtt`
 * ends the base, so a deployment under a prefix (`site/zigbee2mqtt/...`) is found too.
 */
export function splitZigbeeTopic(
  topic: string,
  baseTopics: ReadonlySet<string>,
): ZigbeeTopic | undefined {
  let best: string | undefined;
  for (const base of baseTopics) {
    if (topic.startsWith(base + '/') && (best === undefined || base.length > best.length)) {
      best = base;
    }
  }
  if (best !== undefined) {
    return { baseTopic: best, rest: topic.slice(best.length + 1).split('/') };
  }

  const levels = topic.split('/');
  const index = levels.indexOf(ZIGBEE2MQTT_DEFAULT_BASE);
  if (index < 0 || index === levels.length - 1) {
    return undefined;
  }
  return { baseTopic: levels.slice(0, index + 1).join('/'), rest: levels.slice(index + 1) };
}

/** For `<base>/bridge/<subtopic...>`, the base and the bridge subtopic (`devices`, `info`, `response/permit_join`). */
export function splitZigbeeBridgeTopic(
  topic: string,
  baseTopics: ReadonlySet<string>,
): { baseTopic: string; subtopic: string } | undefined {
  const split = splitZigbeeTopic(topic, baseTopics);
  if (split !== undefined && split.rest[0] === 'bridge' && split.rest.length > 1) {
    return { baseTopic: split.baseTopic, subtopic: split.rest.slice(1).join('/') };
  }

  // A custom base topic: `<base>/bridge/devices` and `<base>/bridge/info` are checked by their payloads.
  const match = /^(.+)\/bridge\/(devices|info)$/.exec(topic);
  if (match !== null) {
    return { baseTopic: match[1], subtopic: match[2] };
  }
  return undefined;
}

/** The devices a bridge listed, by friendly name, for a base topic. */
export type ZigbeeDeviceLookup = (
  baseTopic: string,
) => ReadonlyMap<string, ZigbeeDevice> | undefined;

/** Recognise a Zigbee2MQTT device topic; `lookupDevices` gives the bridge's device list for the topic's base topic. */
export function recognizeZigbee2mqtt(
  view: TopicView,
  context: RecognitionContext,
  lookupDevices?: ZigbeeDeviceLookup,
): TopicRecognition | undefined {
  const split = splitZigbeeTopic(view.topic, context.zigbeeBaseTopics);
  if (split === undefined) {
    return undefined;
  }
  const { rest } = split;

  if (rest[0] === 'bridge') {
    return { format: 'zigbee2mqtt', role: 'bridge', hints: [], keywords: [] };
  }

  const last = rest[rest.length - 1];
  if (last === 'availability' && rest.length > 1) {
    const friendlyName = rest.slice(0, -1).join('/');
    return availability(friendlyName);
  }

  const commandIndex = rest.findIndex(
    (level, index) => index > 0 && (level === 'set' || level === 'get'),
  );
  if (commandIndex > 0) {
    const friendlyName = rest.slice(0, commandIndex).join('/');
    return {
      format: 'zigbee2mqtt',
      role: 'command',
      title: `${friendlyName} ${rest[commandIndex]}`,
      deviceName: friendlyName,
      hints: [],
      keywords: [],
    };
  }

  const friendlyName = rest.join('/');
  const known = lookupDevices?.(split.baseTopic)?.get(friendlyName);
  return {
    format: 'zigbee2mqtt',
    role: 'state',
    title: friendlyName,
    deviceName: friendlyName,
    device: known !== undefined ? deviceFromBridge(known) : legacyDeviceBlock(view),
    description: known?.description,
    hints: known?.exposes ?? [],
    keywords: [],
  };
}

function availability(friendlyName: string): TopicRecognition {
  return {
    format: 'zigbee2mqtt',
    role: 'availability',
    title: `${friendlyName} availability`,
    deviceName: friendlyName,
    hints: [],
    keywords: ['availability'],
  };
}

/** Device facts from the bridge's device list. */
export function deviceFromBridge(device: ZigbeeDevice): DeviceInfo | undefined {
  return compactDevice({
    manufacturer: device.vendor,
    model: device.model ?? device.modelId,
    name: device.friendlyName,
    identifiers: device.ieeeAddress !== undefined ? [device.ieeeAddress] : undefined,
    softwareVersion: device.softwareBuildId,
  });
}

/**
 * Zigbee2MQTT 1.x with `include_device_information` adds a `device` object
 * to every state payload (`manufName`, `modelId`, `ieeeAddr`).
 */
function legacyDeviceBlock(view: TopicView): DeviceInfo | undefined {
  const manufacturer = singleStringValue(view.schema, 'device.manufName');
  const model = singleStringValue(view.schema, 'device.modelId');
  const ieeeAddress = singleStringValue(view.schema, 'device.ieeeAddr');
  const softwareVersion = singleStringValue(view.schema, 'device.swBuildId');
  if (manufacturer === undefined && model === undefined && ieeeAddress === undefined) {
    return undefined;
  }
  return compactDevice({
    manufacturer,
    model,
    identifiers: ieeeAddress !== undefined ? [ieeeAddress] : undefined,
    softwareVersion: softwareVersion === 'unknown' ? undefined : softwareVersion,
  });
}

/** Parse the retained `bridge/devices` payload: a JSON array of devices. Entries without a friendly name are skipped. */
export function parseBridgeDevices(value: unknown): ZigbeeDevice[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const devices: ZigbeeDevice[] = [];
  for (const entry of value) {
    const device = parseDevice(entry);
    if (device !== undefined) {
      devices.push(device);
    }
  }
  return devices;
}

/** Read the device that a successful `device_interview` event on `bridge/event` describes. */
export function parseBridgeEventDevice(value: unknown): ZigbeeDevice | undefined {
  if (!isRecord(value) || value.type !== 'device_interview' || !isRecord(value.data)) {
    return undefined;
  }
  if (value.data.status !== 'successful') {
    return undefined;
  }
  return parseDevice(value.data);
}

/** Version and coordinator type from `bridge/info`. */
export function parseBridgeInfo(value: unknown): ZigbeeBridgeInfo | undefined {
  if (!isRecord(value) || typeof value.version !== 'string' || !isRecord(value.coordinator)) {
    return undefined;
  }
  return {
    version: stringOrUndefined(value.version),
    coordinatorType: stringOrUndefined(value.coordinator.type),
  };
}

function parseDevice(entry: unknown): ZigbeeDevice | undefined {
  if (!isRecord(entry)) {
    return undefined;
  }
  const friendlyName = stringOrUndefined(entry.friendly_name);
  if (friendlyName === undefined) {
    return undefined;
  }

  const definition = isRecord(entry.definition) ? entry.definition : undefined;
  const exposes: PropertyHint[] = [];
  if (definition !== undefined && Array.isArray(definition.exposes)) {
    for (const expose of definition.exposes) {
      collectExposes(expose, ROOT_PATH, exposes, 0);
    }
  }

  return {
    friendlyName,
    ieeeAddress: stringOrUndefined(entry.ieee_address),
    model: stringOrUndefined(definition?.model),
    vendor: stringOrUndefined(definition?.vendor),
    description: stringOrUndefined(definition?.description),
    modelId: stringOrUndefined(entry.model_id),
    softwareBuildId: stringOrUndefined(entry.software_build_id),
    powerSource: stringOrUndefined(entry.power_source),
    supported: typeof entry.supported === 'boolean' ? entry.supported : undefined,
    exposes,
  };
}

/** Exposes nest at most a few levels in practice; the cap guards against a hostile payload. */
const MAX_EXPOSE_DEPTH = 8;

/**
 * Collect unit and label hints from one exposed feature. Generic features
 * name their payload key in `property`. Specific ones (`light`, `switch`,
 * `climate`...) group features whose keys sit at the top level, and a
 * `composite` feature nests its features under its own `property`.
 */
function collectExposes(
  expose: unknown,
  parent: string,
  hints: PropertyHint[],
  depth: number,
): void {
  if (!isRecord(expose) || depth > MAX_EXPOSE_DEPTH) {
    return;
  }
  const property = stringOrUndefined(expose.property);

  if (Array.isArray(expose.features)) {
    const nested =
      expose.type === 'composite' && property !== undefined ? appendKey(parent, property) : parent;
    for (const feature of expose.features) {
      collectExposes(feature, nested, hints, depth + 1);
    }
    return;
  }

  if (property === undefined) {
    return;
  }
  const unitText = stringOrUndefined(expose.unit);
  const label = stringOrUndefined(expose.label);
  const description = stringOrUndefined(expose.description);
  if (unitText === undefined && label === undefined && description === undefined) {
    return;
  }
  hints.push({
    path: appendKey(parent, property),
    unitText,
    unitOrigin: unitText !== undefined ? 'bridge-exposes' : undefined,
    label,
    description,
  });
}
