import type { HarvestedDataset } from '../../harvest.types';
import type { SchemaSummary } from '../payload-schema';

/** Payload formats the MQTT harvester recognises; `json`, `plain` and `binary` mean none of the named ones. */
export type TopicFormat =
  | 'zigbee2mqtt'
  | 'tasmota'
  | 'shelly-gen2'
  | 'esphome'
  | 'homeassistant-discovery'
  | 'json'
  | 'plain'
  | 'binary';

/**
 * Purpose of a topic's messages. Discovery configurations and Zigbee2MQTT
 * bridge topics describe other topics and do not become datasets.
 */
export type TopicRole =
  'state' | 'availability' | 'event' | 'command' | 'discovery-config' | 'bridge';

export type DeviceInfo = NonNullable<HarvestedDataset['device']>;

/** Origin of a property's unit, recorded in the dataset's details. */
export type UnitOrigin =
  /** A Home Assistant discovery configuration (`unit_of_measurement`). */
  | 'discovery'
  /** Zigbee2MQTT's `bridge/devices` (the `unit` of an exposed feature). */
  | 'bridge-exposes'
  /** Another key of the same payload (Tasmota `TempUnit`). */
  | 'payload-sibling'
  /** The key's own name (Shelly `tC` and `tF`). */
  | 'key-name'
  /** The format's documentation fixes the unit (Tasmota `ENERGY.Total` is in kWh). */
  | 'format-convention';

/** Metadata a recogniser or a describing topic gives one property. */
export interface PropertyHint {
  path: string;
  /** Unit as the source wrote it, or a UCUM code for `key-name` and `format-convention` hints. */
  unitText?: string;
  unitOrigin?: UnitOrigin;
  label?: string;
  description?: string;
  /** Home Assistant device class (`temperature`), used for a quantity kind when no unit is known. */
  deviceClass?: string;
  /** QUDT quantity kind when the unit alone does not say it (a percentage that is a relative humidity). */
  quantityKind?: string;
}

/** A topic as the recognisers see it: its name and what its payloads looked like. */
export interface TopicView {
  topic: string;
  levels: readonly string[];
  schema: SchemaSummary;
}

/** Facts that need more than one topic, gathered before recognition. */
export interface RecognitionContext {
  /** Zigbee2MQTT base topics (`zigbee2mqtt`, or a custom one that published `bridge/devices`). */
  zigbeeBaseTopics: ReadonlySet<string>;
  /** ESPHome node prefixes that published `<node>/<component>/<object_id>/state`. */
  esphomeNodes: ReadonlySet<string>;
  /** Shelly device prefixes (`shellies/plus1pm`) with the device id their RPC notifications carry, when seen. */
  shellyDevices: ReadonlyMap<string, string | undefined>;
}

/** Result of recognising one topic. */
export interface TopicRecognition {
  format: TopicFormat;
  role: TopicRole;
  /** Title suggested by the format (`Living Room sensor`, `elektronik/control0 SENSOR`). */
  title?: string;
  /** The device as the format names it (Zigbee2MQTT friendly name, Tasmota topic, ESPHome node). */
  deviceName?: string;
  /** Device facts the payload itself carries. */
  device?: DeviceInfo;
  /** Description of the device when the format gives one (Zigbee2MQTT's model description). */
  description?: string;
  hints: PropertyHint[];
  keywords: string[];
}

export const EMPTY_CONTEXT: RecognitionContext = {
  zigbeeBaseTopics: new Set(),
  esphomeNodes: new Set(),
  shellyDevices: new Map(),
};
