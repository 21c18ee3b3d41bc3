import type { HarvestedDataset, HarvestSnapshot } from '../../src/harvest/harvest.types';

/** A harvested MQTT topic dataset with one temperature property, for catalog tests. */
export function topicDataset(
  topic: string,
  overrides: Partial<HarvestedDataset> = {},
): HarvestedDataset {
  return {
    key: topic,
    kind: 'mqtt-topic',
    title: topic,
    keywords: topic.split('/'),
    properties: [
      {
        name: 'temperature',
        datatypes: ['xsd:double'],
        unit: 'Cel',
        unitSourceText: '°C',
        quantityKind: 'Temperature',
        minimum: 19.5,
        maximum: 23.25,
        observedCount: 4,
      },
    ],
    temporal: { start: '2026-11-30T08:00:00.000Z', end: '2026-12-01T08:00:00.000Z' },
    distributions: [
      {
        key: 'mqtt',
        title: `MQTT topic ${topic}`,
        accessUrl: `mqtts://broker.test:8883/${topic}`,
        mediaType: 'application/json',
        accessQuery: topic,
      },
    ],
    details: { retained: false, qos: [0], messageCount: 4 },
    ...overrides,
  };
}

/** A snapshot of a source holding the given datasets. */
export function snapshotOf(
  sourceId: string,
  datasets: HarvestedDataset[],
  complete = true,
): HarvestSnapshot {
  return {
    sourceId,
    sourceKind: 'mqtt',
    harvester: 'weft-test-harvester/1.0.0',
    startedAt: '2026-12-01T08:00:00.000Z',
    endedAt: '2026-12-01T08:00:10.000Z',
    sourceDetails: { broker: 'test' },
    datasets,
    issues: [],
    complete,
  };
}
