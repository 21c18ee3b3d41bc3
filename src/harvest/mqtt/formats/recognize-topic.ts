import type { PayloadKind } from '../payload-schema';
import { ROOT_PATH } from '../property-path';
import { recognizeEsphome } from './esphome.recognizer';
import type {
  RecognitionContext,
  TopicFormat,
  TopicRecognition,
  TopicRole,
  TopicView,
} from './format.types';
import { findProperty, payloadIsOneOf } from './schema-lookup';
import { recognizeShelly } from './shelly.recognizer';
import { recognizeTasmota } from './tasmota.recognizer';
import { recognizeZigbee2mqtt } from './zigbee2mqtt.recognizer';
import type { ZigbeeDeviceLookup } from './zigbee2mqtt.recognizer';

/**
 * Recognise a topic's format, trying the named formats from the most
 * specific topic layout to the least, and falling back to a description by
 * payload kind. Discovery configurations are handled before this, by the
 * topic tree.
 */
export function recognizeTopic(
  view: TopicView,
  context: RecognitionContext,
  lookupZigbeeDevices?: ZigbeeDeviceLookup,
): TopicRecognition {
  return (
    recognizeZigbee2mqtt(view, context, lookupZigbeeDevices) ??
    recognizeTasmota(view) ??
    recognizeShelly(view, context) ??
    recognizeEsphome(view, context) ??
    recognizeGeneric(view)
  );
}

/** Last topic levels that availability topics use, with the payload words that confirm them. */
const AVAILABILITY_LEVELS = new Set([
  'status',
  'availability',
  'online',
  'LWT',
  'connected',
  'state',
]);
const AVAILABILITY_WORDS = new Set([
  'online',
  'offline',
  'Online',
  'Offline',
  'connected',
  'disconnected',
]);

export function recognizeGeneric(view: TopicView): TopicRecognition {
  return {
    format: formatByPayload(view),
    role: genericRole(view),
    hints: [],
    keywords: [],
  };
}

function genericRole(view: TopicView): TopicRole {
  const last = view.levels[view.levels.length - 1];
  if (!AVAILABILITY_LEVELS.has(last)) {
    return 'state';
  }

  const root = findProperty(view.schema, ROOT_PATH);
  const booleanOnly =
    root !== undefined && root.datatypes.length === 1 && root.datatypes[0] === 'xsd:boolean';
  if (booleanOnly && (last === 'online' || last === 'connected')) {
    return 'availability';
  }
  const stateKey =
    findProperty(view.schema, 'state') !== undefined && view.schema.properties.length === 1;
  const words = stateKey ? wordsOf(view, 'state') : payloadIsOneOf(view.schema, AVAILABILITY_WORDS);
  return words ? 'availability' : 'state';
}

function wordsOf(view: TopicView, path: string): boolean {
  const values = findProperty(view.schema, path)?.enumValues;
  return values !== undefined && values.every((value) => AVAILABILITY_WORDS.has(value));
}

const JSON_KINDS: ReadonlySet<PayloadKind> = new Set(['json-object', 'json-array']);

/** `json` when JSON objects or arrays are the most frequent kind of payload, `binary` for bytes that are not UTF-8, else `plain`. */
function formatByPayload(view: TopicView): TopicFormat {
  let json = 0;
  let binary = 0;
  let plain = 0;
  for (const [kind, count] of Object.entries(view.schema.payloadKinds) as Array<
    [PayloadKind, number]
  >) {
    if (JSON_KINDS.has(kind)) {
      json += count;
    } else if (kind === 'binary') {
      binary += count;
    } else if (kind !== 'empty' && kind !== 'oversized') {
      plain += count;
    }
  }
  if (json >= plain && json >= binary && json > 0) {
    return 'json';
  }
  return binary > plain ? 'binary' : 'plain';
}
