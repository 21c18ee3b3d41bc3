import {
  parseDiscoveryConfig,
  splitDiscoveryTopic,
} from './formats/homeassistant-discovery.recognizer';
import type { DiscoveryConfig, DiscoveryTopic } from './formats/homeassistant-discovery.recognizer';
import {
  parseBridgeDevices,
  parseBridgeEventDevice,
  parseBridgeInfo,
  splitZigbeeBridgeTopic,
  ZIGBEE2MQTT_DEFAULT_BASE,
} from './formats/zigbee2mqtt.recognizer';
import type { ZigbeeBridgeInfo, ZigbeeDevice } from './formats/zigbee2mqtt.recognizer';
import { PayloadSchema, withDefaults } from './payload-schema';
import type { SchemaLimits } from './payload-schema';

/**
 * Everything observed on a broker, topic by topic, plus the metadata that
 * some topics carry about others (Home Assistant discovery configurations,
 * Zigbee2MQTT's bridge). Pure bookkeeping: the observer feeds it messages,
 * and the dataset builder reads it. Memory is bounded by `maxTopics` and
 * the per-topic schema limits; messages on topics beyond the limit are
 * counted and dropped.
 */

/** One message as delivered to the subscriber. */
export interface ObservedMessage {
  topic: string;
  payload: Uint8Array;
  /** The RETAIN flag as delivered: set for a stored retained message sent because of a subscription. */
  retain: boolean;
  qos: number;
  /** Milliseconds since the Unix epoch. */
  receivedAt: number;
}

export interface TopicTreeLimits {
  maxTopics: number;
  /**
   * Property paths kept over all topics. Each costs up to about 1.5 KB
   * (datatype counts, range, anomalies, enumeration values), so this bounds
   * the schemas' memory whatever the publishers send; topics that arrive
   * after the budget is spent keep counts and rates but no new properties.
   */
  maxTotalPaths: number;
  /** Metadata payloads (discovery configurations, `bridge/devices`) larger than this are not parsed. */
  maxMetadataBytes: number;
  /** Devices kept per Zigbee2MQTT bridge from interview events. */
  maxBridgeDevices: number;
  schema: Partial<SchemaLimits>;
}

/**
 * NOTE: in the worst case every topic reaches every schema limit (500 paths,
 * each with 20 enumeration values of 64 characters), an estimated 1-2 MB per
 * topic. Device topics typically need a few kilobytes. A budget of paths
 * across all topics would make the bound tighter.
 */
export const DEFAULT_TOPIC_TREE_LIMITS: Readonly<TopicTreeLimits> = {
  maxTopics: 20_000,
  maxTotalPaths: 100_000,
  maxMetadataBytes: 8 * 1024 * 1024,
  maxBridgeDevices: 10_000,
  schema: {},
};

/** How many dropped topic names are kept for the issue that reports the drops. */
const DROPPED_TOPIC_SAMPLE = 5;

/**
 * Schema inference is the costly part of observing a message. Every message
 * of a topic is inferred until the topic has sent this many; after that a
 * topic sending more than five messages a second is sampled (see
 * SCHEMA_SAMPLE_INTERVAL_MS), while counts, rate, sizes and timestamps still
 * cover every message. Ranges of such topics come from the samples.
 */
const SCHEMA_FULL_MESSAGES = 10;

/** On a busy topic, at most one message per this interval is inferred. */
const SCHEMA_SAMPLE_INTERVAL_MS = 200;

export class TopicRecord {
  readonly levels: string[];
  readonly schema: PayloadSchema;
  messageCount = 0;
  /** Messages delivered with the RETAIN flag, that is, stored retained messages. */
  retainedMessageCount = 0;
  /** Zero-length messages with the RETAIN flag: deletions of the retained message (MQTT 3.1.1, 3.3.1.3). */
  retainedDeletions = 0;
  /** Whether the first message after the latest subscription was a stored retained message. */
  retained = false;
  readonly qosLevels = new Set<number>();
  firstSeen = 0;
  lastSeen = 0;
  payloadBytesTotal = 0;
  payloadBytesMin = Number.POSITIVE_INFINITY;
  payloadBytesMax = 0;
  /** Subscription epoch of the last message, to spot the first message after each subscription. */
  subscriptionEpoch = -1;
  /** Messages whose payload went through schema inference; the rest were sampled out on a busy topic. */
  schemaMessageCount = 0;
  private lastSchemaAt = Number.NEGATIVE_INFINITY;

  /** Decide whether this message's payload goes through schema inference. */
  takeSchemaSample(receivedAt: number): boolean {
    const sample =
      this.messageCount <= SCHEMA_FULL_MESSAGES ||
      receivedAt - this.lastSchemaAt >= SCHEMA_SAMPLE_INTERVAL_MS;
    if (sample) {
      this.schemaMessageCount += 1;
      this.lastSchemaAt = receivedAt;
    }
    return sample;
  }

  constructor(
    readonly topic: string,
    schemaLimits: Partial<SchemaLimits>,
  ) {
    this.levels = topic.split('/');
    this.schema = new PayloadSchema(schemaLimits);
  }

  /** Messages that were not stored retained messages: the live traffic that a rate measures. */
  get liveMessageCount(): number {
    return this.messageCount - this.retainedMessageCount;
  }
}

export interface DiscoveryRecord {
  topic: DiscoveryTopic;
  config: DiscoveryConfig;
}

export interface ZigbeeBridgeRecord {
  baseTopic: string;
  /** Devices by friendly name. */
  devices: Map<string, ZigbeeDevice>;
  info?: ZigbeeBridgeInfo;
  /** Latest `bridge/state`: `online` or `offline`. */
  state?: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class TopicTree {
  readonly limits: TopicTreeLimits;
  private readonly topics = new Map<string, TopicRecord>();
  /** Discovery configurations by their config topic. */
  readonly discovery = new Map<string, DiscoveryRecord>();
  /** Zigbee2MQTT bridges by base topic. */
  readonly zigbeeBridges = new Map<string, ZigbeeBridgeRecord>();
  private readonly zigbeeBaseTopics = new Set<string>();
  private epoch = 0;
  droppedMessages = 0;
  /** Property paths over all topics' schemas. */
  totalPaths = 0;
  /** Messages not inferred because the property budget (maxTotalPaths) was spent. */
  schemaBudgetSkips = 0;
  readonly droppedTopicSample: string[] = [];

  constructor(limits: Partial<TopicTreeLimits> = {}) {
    this.limits = withDefaults(DEFAULT_TOPIC_TREE_LIMITS, limits);
  }

  /** Mark a new subscription, after which the first message of each topic shows again whether the topic has a retained message. */
  beginSubscription(): void {
    this.epoch += 1;
  }

  record(message: ObservedMessage): void {
    const record = this.recordFor(message.topic);
    if (record === undefined) {
      this.droppedMessages += 1;
      if (
        this.droppedTopicSample.length < DROPPED_TOPIC_SAMPLE &&
        !this.droppedTopicSample.includes(message.topic)
      ) {
        this.droppedTopicSample.push(message.topic);
      }
      return;
    }

    updateCounters(record, message, this.epoch);
    if (record.takeSchemaSample(message.receivedAt)) {
      this.inferWithinBudget(record, message.payload);
    }
    this.recordMetadata(record, message.payload);
  }

  private inferWithinBudget(record: TopicRecord, payload: Uint8Array): void {
    if (this.totalPaths >= this.limits.maxTotalPaths) {
      this.schemaBudgetSkips += 1;
      return;
    }
    const before = record.schema.pathCount;
    record.schema.observe(payload);
    this.totalPaths += record.schema.pathCount - before;
  }

  get(topic: string): TopicRecord | undefined {
    return this.topics.get(topic);
  }

  records(): IterableIterator<TopicRecord> {
    return this.topics.values();
  }

  get size(): number {
    return this.topics.size;
  }

  /** Base topics known to belong to Zigbee2MQTT bridges. */
  knownZigbeeBaseTopics(): ReadonlySet<string> {
    return this.zigbeeBaseTopics;
  }

  private recordFor(topic: string): TopicRecord | undefined {
    const existing = this.topics.get(topic);
    if (existing !== undefined) {
      return existing;
    }
    if (this.topics.size >= this.limits.maxTopics) {
      return undefined;
    }
    const created = new TopicRecord(topic, this.limits.schema);
    this.topics.set(topic, created);
    return created;
  }

  private recordMetadata(record: TopicRecord, payload: Uint8Array): void {
    const discoveryTopic = splitDiscoveryTopic(record.levels);
    if (
      discoveryTopic !== undefined &&
      this.recordDiscovery(record.topic, discoveryTopic, payload)
    ) {
      return;
    }

    const bridge = splitZigbeeBridgeTopic(record.topic, this.zigbeeBaseTopics);
    if (bridge !== undefined) {
      this.recordZigbeeBridge(bridge.baseTopic, bridge.subtopic, payload);
    }
  }

  /** Returns false when a topic that only looks like a discovery topic carries no configuration. */
  private recordDiscovery(
    topic: string,
    discoveryTopic: DiscoveryTopic,
    payload: Uint8Array,
  ): boolean {
    const known = this.discovery.has(topic);
    if (payload.length > this.limits.maxMetadataBytes) {
      const reason = `the payload of ${payload.length} bytes is larger than the limit of ${this.limits.maxMetadataBytes} bytes`;
      this.discovery.set(topic, { topic: discoveryTopic, config: { status: 'invalid', reason } });
      return true;
    }

    const config = parseDiscoveryConfig(topic, discoveryTopic, payload);
    if (config.status === 'invalid' && !discoveryTopic.certain && !known) {
      return false;
    }
    this.discovery.set(topic, { topic: discoveryTopic, config });
    return true;
  }

  private recordZigbeeBridge(baseTopic: string, subtopic: string, payload: Uint8Array): void {
    const namedBase = baseTopic.split('/').includes(ZIGBEE2MQTT_DEFAULT_BASE);
    const existing = this.zigbeeBridges.get(baseTopic);

    switch (subtopic) {
      case 'devices': {
        const value = this.parseMetadata(payload);
        if (Array.isArray(value)) {
          const bridge = existing ?? this.addBridge(baseTopic);
          bridge.devices = new Map(
            parseBridgeDevices(value).map((device) => [device.friendlyName, device]),
          );
        }
        return;
      }
      case 'info': {
        const info = parseBridgeInfo(this.parseMetadata(payload));
        if (info !== undefined) {
          (existing ?? this.addBridge(baseTopic)).info = info;
        }
        return;
      }
      case 'state': {
        if (existing !== undefined || namedBase) {
          (existing ?? this.addBridge(baseTopic)).state = bridgeState(
            this.parseMetadata(payload),
            payload,
          );
        }
        return;
      }
      case 'event': {
        const device = parseBridgeEventDevice(this.parseMetadata(payload));
        const bridge = existing ?? (namedBase ? this.addBridge(baseTopic) : undefined);
        if (
          device !== undefined &&
          bridge !== undefined &&
          bridge.devices.size < this.limits.maxBridgeDevices
        ) {
          bridge.devices.set(device.friendlyName, device);
        }
        return;
      }
      default:
        if (namedBase && existing === undefined) {
          this.addBridge(baseTopic);
        }
    }
  }

  private addBridge(baseTopic: string): ZigbeeBridgeRecord {
    const bridge: ZigbeeBridgeRecord = { baseTopic, devices: new Map() };
    this.zigbeeBridges.set(baseTopic, bridge);
    this.zigbeeBaseTopics.add(baseTopic);
    return bridge;
  }

  /** Parse a metadata payload as JSON; undefined when it is too large, not UTF-8 or not JSON. */
  private parseMetadata(payload: Uint8Array): unknown {
    if (payload.length === 0 || payload.length > this.limits.maxMetadataBytes) {
      return undefined;
    }
    try {
      return JSON.parse(UTF8.decode(payload)) as unknown;
    } catch {
      return undefined;
    }
  }
}

function updateCounters(record: TopicRecord, message: ObservedMessage, epoch: number): void {
  const size = message.payload.length;

  if (record.messageCount === 0) {
    record.firstSeen = message.receivedAt;
  }
  record.messageCount += 1;
  record.lastSeen = Math.max(record.lastSeen, message.receivedAt);
  record.qosLevels.add(message.qos);
  record.payloadBytesTotal += size;
  record.payloadBytesMin = Math.min(record.payloadBytesMin, size);
  record.payloadBytesMax = Math.max(record.payloadBytesMax, size);

  if (message.retain) {
    record.retainedMessageCount += 1;
    if (size === 0) {
      record.retainedDeletions += 1;
    }
  }
  if (record.subscriptionEpoch !== epoch) {
    record.subscriptionEpoch = epoch;
    record.retained = message.retain && size > 0;
  } else if (message.retain) {
    record.retained = size > 0;
  }
}

/** `bridge/state` is plain text before Zigbee2MQTT 2.0 (`online`) and `{"state":"online"}` since. */
function bridgeState(value: unknown, payload: Uint8Array): string | undefined {
  if (
    typeof value === 'object' &&
    value !== null &&
    'state' in value &&
    typeof value.state === 'string'
  ) {
    return value.state;
  }
  if (payload.length === 0 || payload.length > 64) {
    return undefined;
  }
  try {
    return UTF8.decode(payload).trim();
  } catch {
    return undefined;
  }
}
