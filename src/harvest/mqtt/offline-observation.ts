import type { HarvestedDataset, HarvestedProperty, HarvestIssue } from '../harvest.types';
import type { BuiltDatasets } from './mqtt-dataset.builder';
import { buildMqttDatasets } from './mqtt-dataset.builder';
import { PayloadSchema } from './payload-schema';
import type { PayloadKind } from './payload-schema';
import type { CorpusMessage } from './replay';
import { TopicTree } from './topic-tree';
import type { TopicTreeLimits } from './topic-tree';

/**
 * Runs recorded messages through the same topic tree and dataset builder
 * as a live harvest, without a broker: for tests of the formats against the
 * corpus, and for measuring inference speed apart from the network.
 */

export interface OfflineObservationOptions {
  brokerUrl?: string;
  topicFilters?: readonly string[];
  limits?: Partial<TopicTreeLimits>;
  /** Time of the first message; each further message arrives one second later. */
  startAt?: number;
}

export interface OfflineObservation extends BuiltDatasets {
  tree: TopicTree;
}

export const OFFLINE_BROKER_URL = 'mqtt://broker.invalid:1883';

/** Observe `messages` in order, as if delivered after one subscription, and build the datasets. */
export function observeOffline(
  messages: readonly CorpusMessage[],
  options: OfflineObservationOptions = {},
): OfflineObservation {
  const tree = new TopicTree(options.limits);
  const startAt = options.startAt ?? Date.UTC(2025, 0, 1);
  tree.beginSubscription();

  messages.forEach((message, index) => {
    tree.record({
      topic: message.topic,
      payload: message.payload,
      retain: message.retain,
      qos: 0,
      receivedAt: startAt + index * 1000,
    });
  });

  const built = buildMqttDatasets(tree, {
    brokerUrl: options.brokerUrl ?? OFFLINE_BROKER_URL,
    topicFilters: options.topicFilters ?? ['#'],
    observingSince: startAt,
    now: startAt + Math.max(messages.length, 1) * 1000,
  });
  return { tree, ...built };
}

/** The facts of a dataset that format recognition decides, in a compact form for review and tests. */
export interface DatasetFacts {
  title: string;
  format?: string;
  role: unknown;
  retained: unknown;
  mediaType?: string;
  nonUtf8: unknown;
  device?: HarvestedDataset['device'];
  place?: string;
  description?: string;
  properties: HarvestedProperty[];
}

export function datasetFacts(dataset: HarvestedDataset): DatasetFacts {
  return {
    title: dataset.title,
    format: dataset.format,
    role: dataset.details.role,
    retained: dataset.details.retained,
    mediaType: dataset.distributions[0]?.mediaType,
    nonUtf8: dataset.details.nonUtf8,
    device: dataset.device,
    place: dataset.place,
    description: dataset.description,
    properties: dataset.properties,
  };
}

/** Result of observing one message alone: its payload kind, and the datasets and issues it yields. */
export interface SingleMessageReview {
  kind: PayloadKind;
  datasets: Record<string, DatasetFacts>;
  issues: HarvestIssue[];
}

export function reviewMessageAlone(message: CorpusMessage): SingleMessageReview {
  const kind = new PayloadSchema().observe(message.payload);
  const observed = observeOffline([message]);
  return { kind, datasets: factsByKey(observed.datasets), issues: observed.issues };
}

/** Dataset facts keyed by dataset key. */
export function factsByKey(datasets: readonly HarvestedDataset[]): Record<string, DatasetFacts> {
  return Object.fromEntries(datasets.map((dataset) => [dataset.key, datasetFacts(dataset)]));
}
