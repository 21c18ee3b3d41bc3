import type { HarvestedDataset, HarvestedDistribution, HarvestIssue } from '../harvest.types';
import { topicAccessUrl } from './broker-url';
import { collectEsphomeNodes } from './formats/esphome.recognizer';
import type {
  DeviceInfo,
  PropertyHint,
  RecognitionContext,
  TopicRecognition,
  TopicView,
} from './formats/format.types';
import type { DiscoveryEntity } from './formats/homeassistant-discovery.recognizer';
import { recognizeTopic } from './formats/recognize-topic';
import { collectShellyDevices } from './formats/shelly.recognizer';
import { splitZigbeeBridgeTopic } from './formats/zigbee2mqtt.recognizer';
import type { PayloadKind, SchemaSummary } from './payload-schema';
import { PropertySet } from './property-hints';
import { ROOT_PATH } from './property-path';
import { topicMatchesAnyFilter } from './topic-filter';
import type { TopicRecord, TopicTree } from './topic-tree';

/**
 * Turns the topic tree's contents into catalog datasets: one per topic,
 * with the format recognised, discovery metadata folded into the state
 * topics it describes, and Zigbee2MQTT bridge topics used as metadata only.
 * Pure: the same tree and options give the same datasets.
 */

export interface DatasetBuildOptions {
  /** Broker URL without credentials, the base of each topic's access URL. */
  brokerUrl: string;
  /** Configured topic filters; a topic that discovery declares is a dataset only if one of them matches it. */
  topicFilters: readonly string[];
  /** Start of the observation window for message rates, in milliseconds since the epoch. */
  observingSince: number;
  now: number;
}

export interface BuiltDatasets {
  datasets: HarvestedDataset[];
  issues: HarvestIssue[];
}

interface DiscoveryIndex {
  byStateTopic: Map<string, DiscoveryEntity[]>;
  byAvailabilityTopic: Map<string, DiscoveryEntity[]>;
}

const EMPTY_SCHEMA: SchemaSummary = {
  messageCount: 0,
  payloadKinds: {},
  properties: [],
  pathsDropped: 0,
  depthLimitHits: 0,
  nonStandardJson: 0,
  inferenceErrors: 0,
};

export function buildMqttDatasets(tree: TopicTree, options: DatasetBuildOptions): BuiltDatasets {
  const views = new Map<string, TopicView>();
  for (const record of tree.records()) {
    if (!tree.discovery.has(record.topic)) {
      views.set(record.topic, {
        topic: record.topic,
        levels: record.levels,
        schema: record.schema.summarize(),
      });
    }
  }

  const context: RecognitionContext = {
    zigbeeBaseTopics: tree.knownZigbeeBaseTopics(),
    esphomeNodes: collectEsphomeNodes(views.values()),
    shellyDevices: collectShellyDevices(views.values()),
  };
  const discovery = indexDiscovery(tree);
  const lookupDevices = (baseTopic: string) => tree.zigbeeBridges.get(baseTopic)?.devices;

  const datasets: HarvestedDataset[] = [];
  const issues: HarvestIssue[] = [...discoveryIssues(tree)];

  for (const view of views.values()) {
    const recognition = recognizeTopic(view, context, lookupDevices);
    if (recognition.role === 'bridge') {
      continue;
    }
    const record = tree.get(view.topic);
    const built = buildDataset(view, record, recognition, discovery, options);
    datasets.push(built.dataset);
    issues.push(...built.issues, ...schemaIssues(view));
  }

  const declared = declaredDatasets(tree, views, context, discovery, options);
  datasets.push(...declared.datasets);
  issues.push(...declared.issues);

  issues.push(...droppedTopicIssues(tree, options.brokerUrl));
  datasets.sort(compareKeys);
  return { datasets, issues };
}

/**
 * Build datasets for the state topics that discovery configurations declare
 * but that sent nothing yet, when the configured filters cover them.
 */
function declaredDatasets(
  tree: TopicTree,
  views: ReadonlyMap<string, TopicView>,
  context: RecognitionContext,
  discovery: DiscoveryIndex,
  options: DatasetBuildOptions,
): BuiltDatasets {
  const datasets: HarvestedDataset[] = [];
  const issues: HarvestIssue[] = [];
  const lookupDevices = (baseTopic: string) => tree.zigbeeBridges.get(baseTopic)?.devices;

  for (const stateTopic of discovery.byStateTopic.keys()) {
    const seen = views.has(stateTopic) || tree.discovery.has(stateTopic);
    if (seen || !topicMatchesAnyFilter(stateTopic, options.topicFilters)) {
      continue;
    }
    if (splitZigbeeBridgeTopic(stateTopic, context.zigbeeBaseTopics) !== undefined) {
      continue;
    }

    const view: TopicView = {
      topic: stateTopic,
      levels: stateTopic.split('/'),
      schema: EMPTY_SCHEMA,
    };
    const recognition = recognizeTopic(view, context, lookupDevices);
    if (recognition.role === 'bridge') {
      continue;
    }
    const built = buildDataset(view, undefined, recognition, discovery, options);
    datasets.push(built.dataset);
    issues.push(...built.issues);
  }
  return { datasets, issues };
}

/** Index the entities of valid discovery configurations by the topics they read. */
function indexDiscovery(tree: TopicTree): DiscoveryIndex {
  const index: DiscoveryIndex = { byStateTopic: new Map(), byAvailabilityTopic: new Map() };
  for (const { config } of tree.discovery.values()) {
    if (config.status !== 'config') {
      continue;
    }
    for (const entity of config.entities) {
      if (entity.stateTopic !== undefined) {
        pushTo(index.byStateTopic, entity.stateTopic, entity);
      }
      for (const topic of entity.availabilityTopics) {
        pushTo(index.byAvailabilityTopic, topic, entity);
      }
    }
  }
  return index;
}

function buildDataset(
  view: TopicView,
  record: TopicRecord | undefined,
  recognition: TopicRecognition,
  discovery: DiscoveryIndex,
  options: DatasetBuildOptions,
): { dataset: HarvestedDataset; issues: HarvestIssue[] } {
  const entities = discovery.byStateTopic.get(view.topic) ?? [];
  const availabilityOf = discovery.byAvailabilityTopic.get(view.topic) ?? [];
  const role =
    recognition.role === 'state' && availabilityOf.length > 0 && entities.length === 0
      ? 'availability'
      : recognition.role;
  const format =
    entities.length > 0 && isUnnamedFormat(recognition)
      ? 'homeassistant-discovery'
      : recognition.format;

  const properties = new PropertySet(view.schema.properties);
  properties.apply(recognition.hints);
  properties.apply(entities.flatMap(discoveryHints));

  const device = mergeDevices(
    [...entities, ...availabilityOf].map((entity) => entity.device),
    recognition.device,
  );
  const mediaType = mediaTypeOf(view.schema);
  const discoveryTopics = unique(entities.map((entity) => entity.configTopic));

  const dataset: HarvestedDataset = {
    key: view.topic,
    kind: 'mqtt-topic',
    title: datasetTitle(view, recognition, entities, availabilityOf, device),
    keywords: unique([
      ...view.levels,
      format,
      ...recognition.keywords,
      ...entities.flatMap((entity) =>
        entity.deviceClass !== undefined ? [entity.deviceClass] : [],
      ),
    ]),
    format,
    properties: properties.list(),
    distributions: [distribution(view.topic, mediaType, options.brokerUrl)],
    details: {
      role,
      format,
      ...trafficDetails(record, options),
      payloadKinds: view.schema.payloadKinds,
      nonUtf8: (view.schema.payloadKinds.binary ?? 0) > 0,
      discoveryTopics,
      ...optionalDetails(view, properties, availabilityOf, record),
    },
  };

  const description =
    recognition.description ?? entities.find((entity) => entity.modelName !== undefined)?.modelName;
  if (description !== undefined) {
    dataset.description = description;
  }
  const place = [...entities, ...availabilityOf].find(
    (entity) => entity.suggestedArea !== undefined,
  )?.suggestedArea;
  if (place !== undefined) {
    dataset.place = place;
  }
  if (device !== undefined) {
    dataset.device = device;
  }
  if (record !== undefined && record.messageCount > 0) {
    dataset.temporal = {
      start: new Date(record.firstSeen).toISOString(),
      end: new Date(record.lastSeen).toISOString(),
    };
  }

  return { dataset, issues: unknownUnitIssues(view.topic, properties, entities) };
}

/** Test whether the format is a fallback (`json`, `plain`, `binary`), which a discovery configuration describes better. */
function isUnnamedFormat(recognition: TopicRecognition): boolean {
  return (
    recognition.format === 'json' ||
    recognition.format === 'plain' ||
    recognition.format === 'binary'
  );
}

function discoveryHints(entity: DiscoveryEntity): PropertyHint[] {
  if (entity.valuePath === undefined) {
    return [];
  }
  return [
    {
      path: entity.valuePath,
      unitText: entity.unitText,
      unitOrigin: entity.unitText !== undefined ? 'discovery' : undefined,
      label: entity.name,
      deviceClass: entity.deviceClass,
    },
  ];
}

/**
 * Choose the title: the name of a discovery entity that is the whole payload
 * (an ESPHome sensor), else the format's title, else the device's name, else the topic.
 */
function datasetTitle(
  view: TopicView,
  recognition: TopicRecognition,
  entities: readonly DiscoveryEntity[],
  availabilityOf: readonly DiscoveryEntity[],
  device: DeviceInfo | undefined,
): string {
  const wholePayload = entities.find(
    (entity) => entity.valuePath === ROOT_PATH && entity.name !== undefined,
  );
  if (wholePayload?.name !== undefined) {
    return wholePayload.name;
  }
  if (recognition.title !== undefined) {
    return recognition.title;
  }
  if (device?.name !== undefined) {
    return entities.length === 0 && availabilityOf.length > 0
      ? `${device.name} availability`
      : device.name;
  }
  return view.topic;
}

/** Merge device facts field by field, discovery first and then the format's own, and unite the identifiers. */
function mergeDevices(
  discovered: ReadonlyArray<DeviceInfo | undefined>,
  recognised: DeviceInfo | undefined,
): DeviceInfo | undefined {
  const merged: DeviceInfo = {};
  const identifiers: string[] = [];

  for (const device of [...discovered, recognised]) {
    if (device === undefined) {
      continue;
    }
    merged.manufacturer ??= device.manufacturer;
    merged.model ??= device.model;
    merged.name ??= device.name;
    merged.softwareVersion ??= device.softwareVersion;
    identifiers.push(...(device.identifiers ?? []));
  }
  if (identifiers.length > 0) {
    merged.identifiers = unique(identifiers);
  }

  const compact = Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined),
  ) as DeviceInfo;
  return Object.keys(compact).length > 0 ? compact : undefined;
}

const MEDIA_TYPES: Readonly<Record<PayloadKind, string | undefined>> = {
  'json-object': 'application/json',
  'json-array': 'application/json',
  'json-string': 'application/json',
  number: 'text/plain',
  boolean: 'text/plain',
  null: 'text/plain',
  text: 'text/plain',
  binary: 'application/octet-stream',
  empty: undefined,
  oversized: undefined,
};

/** Return the media type of the most frequent kind of payload. Ties go to JSON, then to text. */
function mediaTypeOf(schema: SchemaSummary): string | undefined {
  const counts = new Map<string, number>();
  for (const [kind, count] of Object.entries(schema.payloadKinds) as Array<[PayloadKind, number]>) {
    const mediaType = MEDIA_TYPES[kind];
    if (mediaType !== undefined) {
      counts.set(mediaType, (counts.get(mediaType) ?? 0) + count);
    }
  }

  let best: string | undefined;
  for (const candidate of ['application/json', 'text/plain', 'application/octet-stream']) {
    const count = counts.get(candidate) ?? 0;
    if (count > 0 && (best === undefined || count > (counts.get(best) ?? 0))) {
      best = candidate;
    }
  }
  return best;
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  'application/json': 'JSON',
  'text/plain': 'text',
  'application/octet-stream': 'binary',
};

function distribution(
  topic: string,
  mediaType: string | undefined,
  brokerUrl: string,
): HarvestedDistribution {
  const result: HarvestedDistribution = {
    key: 'mqtt',
    title: `MQTT topic ${topic}`,
    accessUrl: topicAccessUrl(brokerUrl, topic),
    accessQuery: topic,
  };
  if (mediaType !== undefined) {
    result.mediaType = mediaType;
    result.format = FORMAT_NAMES[mediaType];
  }
  return result;
}

function trafficDetails(
  record: TopicRecord | undefined,
  options: DatasetBuildOptions,
): Record<string, unknown> {
  if (record === undefined) {
    return { retained: false, qos: [], messageCount: 0, messagesPerMinute: 0, declaredOnly: true };
  }

  const windowMinutes = Math.max(options.now - options.observingSince, 1) / 60_000;
  return {
    retained: record.retained,
    qos: [...record.qosLevels].sort((left, right) => left - right),
    messageCount: record.messageCount,
    retainedMessageCount: record.retainedMessageCount,
    // Present only on busy topics, where schema inference sampled the traffic.
    ...(record.schemaMessageCount < record.messageCount
      ? { schemaMessageCount: record.schemaMessageCount }
      : {}),
    messagesPerMinute: Math.round((record.liveMessageCount / windowMinutes) * 100) / 100,
    payloadBytes: {
      total: record.payloadBytesTotal,
      min: record.messageCount > 0 ? record.payloadBytesMin : 0,
      max: record.payloadBytesMax,
    },
  };
}

function optionalDetails(
  view: TopicView,
  properties: PropertySet,
  availabilityOf: readonly DiscoveryEntity[],
  record: TopicRecord | undefined,
): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const unitOrigins = properties.unitOrigins();
  if (Object.keys(unitOrigins).length > 0) {
    details.unitOrigins = unitOrigins;
  }
  if (availabilityOf.length > 0) {
    details.availabilityFor = unique(
      availabilityOf.flatMap((entity) =>
        entity.stateTopic !== undefined ? [entity.stateTopic] : [],
      ),
    );
  }
  if (record !== undefined && record.retainedDeletions > 0) {
    details.retainedDeletions = record.retainedDeletions;
  }
  if (view.schema.nonStandardJson > 0) {
    details.nonStandardJson = view.schema.nonStandardJson;
  }
  return details;
}

function schemaIssues(view: TopicView): HarvestIssue[] {
  const issues: HarvestIssue[] = [];
  const schema = view.schema;
  if (schema.pathsDropped > 0) {
    issues.push({
      severity: 'warning',
      subject: view.topic,
      message: `${schema.pathsDropped} observations of new payload keys were not recorded because the topic reached the limit of keys per topic`,
    });
  }
  if (schema.depthLimitHits > 0) {
    issues.push({
      severity: 'warning',
      subject: view.topic,
      message: `${schema.depthLimitHits} JSON values nested deeper than the depth limit were recorded as rdf:JSON without their content`,
    });
  }
  const oversized = schema.payloadKinds.oversized ?? 0;
  if (oversized > 0) {
    issues.push({
      severity: 'warning',
      subject: view.topic,
      message: `${oversized} payloads larger than the payload size limit were counted but not parsed`,
    });
  }
  if (schema.inferenceErrors > 0) {
    issues.push({
      severity: 'warning',
      subject: view.topic,
      message: `schema inference failed on ${schema.inferenceErrors} payloads; they are counted as binary`,
    });
  }
  return issues;
}

function unknownUnitIssues(
  topic: string,
  properties: PropertySet,
  entities: readonly DiscoveryEntity[],
): HarvestIssue[] {
  return properties.unknownUnits.map((unknown) => {
    const entity = entities.find(
      (candidate) =>
        candidate.valuePath === unknown.path && candidate.unitText === unknown.unitText,
    );
    const source =
      entity !== undefined
        ? `discovery configuration ${entity.configTopic}`
        : (unknown.origin ?? 'the payload');
    return {
      severity: 'warning',
      subject: topic,
      message: `${source} gives the unit "${unknown.unitText}" for ${unknown.path}, which has no UCUM code in Weft's unit table; the text is kept as the unit's source text`,
    };
  });
}

function discoveryIssues(tree: TopicTree): HarvestIssue[] {
  const issues: HarvestIssue[] = [];
  for (const [configTopic, { config }] of tree.discovery) {
    if (config.status === 'invalid') {
      issues.push({
        severity: 'warning',
        subject: configTopic,
        message: `invalid Home Assistant discovery configuration: ${config.reason}`,
      });
    }
  }
  return issues;
}

function droppedTopicIssues(tree: TopicTree, brokerUrl: string): HarvestIssue[] {
  const issues: HarvestIssue[] = [];
  if (tree.schemaBudgetSkips > 0) {
    issues.push({
      severity: 'warning',
      subject: brokerUrl,
      message:
        `${tree.schemaBudgetSkips} messages were counted but not inferred because the topics' schemas reached ` +
        `${tree.limits.maxTotalPaths} properties in all; narrow the topic filters or raise maxTotalPaths`,
    });
  }
  if (tree.droppedMessages === 0) {
    return issues;
  }
  return [
    ...issues,
    {
      severity: 'warning',
      subject: brokerUrl,
      message:
        `${tree.droppedMessages} messages on topics beyond the limit of ${tree.limits.maxTopics} topics were dropped ` +
        `(for example ${tree.droppedTopicSample.join(', ')}); raise maxTopics or narrow the topic filters`,
    },
  ];
}

/** Order datasets by key in code-unit order, the same on every machine (no locale). */
function compareKeys(left: HarvestedDataset, right: HarvestedDataset): number {
  if (left.key === right.key) {
    return 0;
  }
  return left.key < right.key ? -1 : 1;
}

function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
  } else {
    list.push(value);
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}
