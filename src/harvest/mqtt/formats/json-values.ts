import type { DeviceInfo } from './format.types';

/** Helpers for reading parsed JSON metadata (discovery configurations, Zigbee2MQTT bridge lists) defensively. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Return the value if it is a non-empty string, else undefined. */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Copy `device` without its undefined fields; returns undefined when no field is left. */
export function compactDevice(device: DeviceInfo): DeviceInfo | undefined {
  const compact: DeviceInfo = {};
  let empty = true;
  for (const [key, value] of Object.entries(device)) {
    if (value !== undefined) {
      Object.assign(compact, { [key]: value });
      empty = false;
    }
  }
  return empty ? undefined : compact;
}

/** Read an error's message by shape, so that errors from another realm (a VM context) work too. */
export function errorMessage(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    return (error as { message: string }).message;
  }
  return String(error);
}
