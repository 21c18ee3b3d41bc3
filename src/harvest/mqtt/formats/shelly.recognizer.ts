import type {
  DeviceInfo,
  PropertyHint,
  RecognitionContext,
  TopicRecognition,
  TopicView,
  UnitOrigin,
} from './format.types';
import { findProperty, pathEndsWith, singleStringValue } from './schema-lookup';

/**
 * Shelly Gen2 and Gen3 devices (Plus, Pro, Mini) publish three kinds of topic.
 * `<prefix>/events/rpc` carries JSON-RPC notifications (`NotifyStatus` with
 * the changed keys only, `NotifyFullStatus`, `NotifyEvent`) whose `params`
 * contain one object per component (`switch:0`, `temperature:0`).
 * `<prefix>/status/<component>` carries a component's full status when
 * "Generic status update over MQTT" is on, and `<prefix>/online` is `true` or
 * `false`. The key names fix the units: `tC` and `tF` are the same
 * temperature in °C and °F.
 */

const KEY_UNITS: ReadonlyArray<{
  suffix: readonly string[];
  ucum: string;
  origin: UnitOrigin;
  quantityKind?: string;
}> = [
  { suffix: ['tC'], ucum: 'Cel', origin: 'key-name' },
  { suffix: ['tF'], ucum: '[degF]', origin: 'key-name' },
  { suffix: ['apower'], ucum: 'W', origin: 'format-convention' },
  { suffix: ['act_power'], ucum: 'W', origin: 'format-convention' },
  { suffix: ['aprt_power'], ucum: 'V.A', origin: 'format-convention' },
  { suffix: ['voltage'], ucum: 'V', origin: 'format-convention' },
  { suffix: ['current'], ucum: 'A', origin: 'format-convention' },
  { suffix: ['freq'], ucum: 'Hz', origin: 'format-convention' },
  { suffix: ['aenergy', 'total'], ucum: 'W.h', origin: 'format-convention' },
  { suffix: ['ret_aenergy', 'total'], ucum: 'W.h', origin: 'format-convention' },
  // The energy of each of the last three whole minutes, in milliwatt-hours.
  { suffix: ['aenergy', 'by_minute'], ucum: 'mW.h', origin: 'format-convention' },
  { suffix: ['ret_aenergy', 'by_minute'], ucum: 'mW.h', origin: 'format-convention' },
  { suffix: ['rh'], ucum: '%', origin: 'format-convention', quantityKind: 'RelativeHumidity' },
  { suffix: ['battery', 'V'], ucum: 'V', origin: 'format-convention' },
  { suffix: ['battery', 'percent'], ucum: '%', origin: 'format-convention' },
  { suffix: ['uptime'], ucum: 's', origin: 'format-convention' },
  { suffix: ['ram_size'], ucum: 'B', origin: 'format-convention' },
  { suffix: ['ram_free'], ucum: 'B', origin: 'format-convention' },
  { suffix: ['fs_size'], ucum: 'B', origin: 'format-convention' },
  { suffix: ['fs_free'], ucum: 'B', origin: 'format-convention' },
  { suffix: ['rssi'], ucum: 'dB[mW]', origin: 'format-convention' },
];

const TIMESTAMP_DESCRIPTION =
  'Seconds since the Unix epoch, or since boot while the device has not set its clock yet.';

/** A component key: `switch:0`, `temperature:0`, `sys`. */
const COMPONENT = /^[a-z][a-z0-9_]*(:\d+)?$/;

/** Return the device id (`shellyplus1pm-000000000002`) when the topic's payloads are Shelly RPC notifications. */
export function shellyNotificationSource(view: TopicView): string | undefined {
  const methods = findProperty(view.schema, 'method')?.enumValues;
  const source = singleStringValue(view.schema, 'src');
  if (methods === undefined || source === undefined) {
    return undefined;
  }
  const notifications = methods.every((method) => method.startsWith('Notify'));
  return notifications && /^shelly/i.test(source) ? source : undefined;
}

/**
 * Find Shelly devices among the topics: each `<prefix>/events/rpc` that
 * carries Shelly notifications, and each `<prefix>/status/<component>:<id>`.
 */
export function collectShellyDevices(views: Iterable<TopicView>): Map<string, string | undefined> {
  const devices = new Map<string, string | undefined>();
  for (const view of views) {
    const levels = view.levels;
    const last = levels[levels.length - 1];
    const beforeLast = levels[levels.length - 2];

    if (levels.length >= 3 && beforeLast === 'events' && last === 'rpc') {
      const source = shellyNotificationSource(view);
      if (source !== undefined) {
        devices.set(levels.slice(0, -2).join('/'), source);
      }
    } else if (
      levels.length >= 3 &&
      beforeLast === 'status' &&
      /^[a-z][a-z0-9_]*:\d+$/.test(last)
    ) {
      const prefix = levels.slice(0, -2).join('/');
      if (!devices.has(prefix)) {
        devices.set(prefix, undefined);
      }
    }
  }
  return devices;
}

export function recognizeShelly(
  view: TopicView,
  context: RecognitionContext,
): TopicRecognition | undefined {
  const levels = view.levels;
  const last = levels[levels.length - 1];
  const beforeLast = levels[levels.length - 2];
  const notificationSource = shellyNotificationSource(view);

  if (
    levels.length >= 3 &&
    beforeLast === 'events' &&
    last === 'rpc' &&
    notificationSource !== undefined
  ) {
    const prefix = levels.slice(0, -2).join('/');
    return shellyRecognition(view, 'event', `${prefix} events`, prefix, notificationSource);
  }

  const prefix = levels.slice(0, -2).join('/');
  const knownDevice = context.shellyDevices.has(prefix);
  if (levels.length >= 3 && beforeLast === 'status' && COMPONENT.test(last) && knownDevice) {
    return shellyRecognition(
      view,
      'state',
      `${prefix} status ${last}`,
      prefix,
      context.shellyDevices.get(prefix),
    );
  }

  const ownerPrefix = levels.slice(0, -1).join('/');
  if (last === 'online' && context.shellyDevices.has(ownerPrefix)) {
    const title = `${ownerPrefix} online`;
    return shellyRecognition(
      view,
      'availability',
      title,
      ownerPrefix,
      context.shellyDevices.get(ownerPrefix),
    );
  }

  // Notifications seen on another channel (a custom topic, or forwarded from a websocket).
  if (notificationSource !== undefined) {
    return shellyRecognition(
      view,
      'event',
      `${notificationSource} events`,
      notificationSource,
      notificationSource,
    );
  }
  return undefined;
}

function shellyRecognition(
  view: TopicView,
  role: TopicRecognition['role'],
  title: string,
  deviceName: string,
  deviceId: string | undefined,
): TopicRecognition {
  return {
    format: 'shelly-gen2',
    role,
    title,
    deviceName,
    device: deviceId !== undefined ? shellyDevice(deviceId) : undefined,
    hints: shellyHints(view),
    keywords: [],
  };
}

/**
 * Device facts from a Shelly device id: Gen2 ids are `<model slug>-<MAC>`,
 * so the slug (`shellyplus1pm`) names the model.
 */
export function shellyDevice(deviceId: string): DeviceInfo {
  const dash = deviceId.lastIndexOf('-');
  const model = dash > 0 ? deviceId.slice(0, dash) : undefined;
  return { manufacturer: 'Shelly', model, name: deviceId, identifiers: [deviceId] };
}

function shellyHints(view: TopicView): PropertyHint[] {
  const hints: PropertyHint[] = [];
  for (const property of view.schema.properties) {
    const unit = KEY_UNITS.find((entry) => pathEndsWith(property.name, entry.suffix));
    if (unit !== undefined) {
      hints.push({
        path: property.name,
        unitText: unit.ucum,
        unitOrigin: unit.origin,
        quantityKind: unit.quantityKind,
      });
    } else if (property.name === 'params.ts') {
      hints.push({ path: property.name, description: TIMESTAMP_DESCRIPTION });
    }
  }
  return hints;
}
