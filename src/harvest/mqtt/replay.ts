import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import type { MqttClient } from 'mqtt';

import { errorMessage } from './formats/json-values';

/**
 * Replays recorded device traffic into a broker: the demo and the
 * integration tests publish the MQTT corpus files with it. A corpus file has
 * `#` header lines and then one JSON object per line with `topic`, the
 * payload as text (`payload`) or as base64 bytes (`payload_b64`), and
 * `retain` when known.
 */

export interface CorpusMessage {
  /** File name without its directory. */
  file: string;
  /** 1-based line number in the file. */
  line: number;
  topic: string;
  payload: Buffer;
  retain: boolean;
}

export interface ReplayOptions {
  /** Topic prefix, so that several replays (or tests) do not share topics; no trailing `/`. */
  prefix: string;
  /** Publish the files again and again until `signal` aborts. */
  loop?: boolean;
  /** Messages per second; default 50. */
  ratePerSecond?: number;
  /** QoS of each publication; default 1. */
  qos?: 0 | 1 | 2;
  signal?: AbortSignal;
}

/** Read a corpus file. Throws with the file and line of a line that is not a valid message. */
export function readCorpusFile(file: string): CorpusMessage[] {
  const messages: CorpusMessage[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');

  lines.forEach((text, index) => {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      return;
    }
    messages.push(parseCorpusLine(trimmed, basename(file), index + 1));
  });
  return messages;
}

function parseCorpusLine(text: string, file: string, line: number): CorpusMessage {
  const where = `${file} line ${line}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not JSON (${errorMessage(error)})`);
  }
  if (typeof value !== 'object' || value === null) {
    throw new Error(`${where} is not a JSON object`);
  }

  const record = value as Record<string, unknown>;
  if (typeof record.topic !== 'string') {
    throw new Error(`${where} has no string "topic"`);
  }
  let payload: Buffer;
  if (typeof record.payload === 'string') {
    payload = Buffer.from(record.payload, 'utf8');
  } else if (typeof record.payload_b64 === 'string') {
    payload = Buffer.from(record.payload_b64, 'base64');
  } else {
    throw new Error(`${where} has neither "payload" nor "payload_b64"`);
  }
  return { file, line, topic: record.topic, payload, retain: record.retain === true };
}

/** Discovery keys whose values are topics, in full and abbreviated form. */
const DISCOVERY_TOPIC_KEYS = new Set([
  'state_topic',
  'stat_t',
  'availability_topic',
  'avty_t',
  'json_attributes_topic',
  'json_attr_t',
  'command_topic',
  'cmd_t',
  '~',
]);

/**
 * Move a message under `prefix`. In a Home Assistant discovery configuration,
 * the topics it points at get the prefix too, so that the configuration still
 * describes the replayed state topics. Topics written relative to the `~`
 * base are left as they are.
 */
export function withTopicPrefix(message: CorpusMessage, prefix: string): CorpusMessage {
  const topic = `${prefix}/${message.topic}`;
  const levels = message.topic.split('/');
  if (levels[levels.length - 1] !== 'config' || message.payload.length === 0) {
    return { ...message, topic };
  }

  let config: unknown;
  try {
    config = JSON.parse(message.payload.toString('utf8'));
  } catch {
    return { ...message, topic };
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return { ...message, topic };
  }
  const rewritten = prefixTopicValues(config as Record<string, unknown>, prefix);
  return { ...message, topic, payload: Buffer.from(JSON.stringify(rewritten), 'utf8') };
}

function prefixTopicValues(
  config: Record<string, unknown>,
  prefix: string,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (
      DISCOVERY_TOPIC_KEYS.has(key) &&
      typeof value === 'string' &&
      !value.startsWith('~') &&
      !value.endsWith('~')
    ) {
      result[key] = `${prefix}/${value}`;
    } else if ((key === 'availability' || key === 'avty') && Array.isArray(value)) {
      result[key] = value.map((entry: unknown) => prefixAvailability(entry, prefix));
    } else {
      result[key] = value;
    }
  }
  return result;
}

function prefixAvailability(entry: unknown, prefix: string): unknown {
  if (typeof entry !== 'object' || entry === null) {
    return entry;
  }
  const result: Record<string, unknown> = { ...(entry as Record<string, unknown>) };
  for (const key of ['topic', 't']) {
    const value = result[key];
    if (typeof value === 'string' && !value.startsWith('~') && !value.endsWith('~')) {
      result[key] = `${prefix}/${value}`;
    }
  }
  return result;
}

/**
 * Publish the messages of the corpus files under `options.prefix`, with
 * their retained flags, at `ratePerSecond`; with `loop`, repeat until the
 * signal aborts. Returns how many messages were published.
 */
export async function replayCorpus(
  client: MqttClient,
  files: readonly string[],
  options: ReplayOptions,
): Promise<number> {
  const messages = files
    .flatMap((file) => readCorpusFile(file))
    .map((message) => withTopicPrefix(message, options.prefix));
  const intervalMs = 1000 / (options.ratePerSecond ?? 50);
  const qos = options.qos ?? 1;
  const startedAt = Date.now();
  let published = 0;

  do {
    for (const message of messages) {
      // Publications follow a fixed schedule, so time spent publishing does not lower the rate.
      await pause(startedAt + published * intervalMs - Date.now(), options.signal);
      if (options.signal?.aborted === true) {
        return published;
      }
      await client.publishAsync(message.topic, message.payload, { qos, retain: message.retain });
      published += 1;
    }
  } while (options.loop === true && options.signal?.aborted !== true);

  return published;
}

async function pause(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  if (milliseconds <= 0) {
    return;
  }
  try {
    await delay(milliseconds, undefined, { signal });
  } catch (error) {
    if (signal?.aborted !== true) {
      throw error;
    }
  }
}
