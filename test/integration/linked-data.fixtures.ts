import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Viewer } from '../../src/auth/viewer';
import type { SourceSystemEntity } from '../../src/catalog/entities/source-system.entity';
import { asJson } from '../../src/common/json';
import type {
  HarvestedDataset,
  HarvestedProperty,
  HarvestSnapshot,
} from '../../src/harvest/harvest.types';
import { SnapshotWriterService } from '../../src/harvest/ingest/snapshot-writer.service';
import type { SnapshotChanges } from '../../src/harvest/ingest/snapshot-writer.service';
import { IdentifiersService } from '../../src/identifiers/identifiers.service';
import { HarvestRunEntity } from '../../src/provenance/harvest-run.entity';
import { harvestActivityDocument } from '../../src/provenance/prov-document';
import type { MqttSourceConfig } from '../../src/sources/source-config.types';
import { SourcesService } from '../../src/sources/sources.service';

/** A steward acting in-process, for curation through the real services. */
export const STEWARD: Viewer = {
  subject: 'fixture-steward',
  username: 'fixture-steward',
  roles: ['steward'],
  realmRoles: ['steward'],
};

export const HARVESTER = 'weft-fixture-harvester/1.0.0';

/** What one seeded harvest produced. */
export interface SeededHarvest {
  source: SourceSystemEntity;
  runPid: string;
  changes: SnapshotChanges;
}

/**
 * Harvest a snapshot into the catalog through the real code paths.
 * SourcesService creates the source and mints its identifier and data
 * service. The run is recorded as the harvest service records it: its
 * identifier is minted in a transaction and the provenance module builds
 * its PROV-O document. SnapshotWriterService writes the datasets. Only the
 * harvester is replaced, by a fixed snapshot, because these tests check the
 * linked-data output.
 */
export async function harvestFixture(
  app: INestApplication,
  sourceKey: string,
  datasets: HarvestedDataset[],
  window: { startedAt: string; endedAt: string },
): Promise<SeededHarvest> {
  const config: MqttSourceConfig = {
    id: sourceKey,
    kind: 'mqtt',
    title: `Broker ${sourceKey}`,
    description: 'The site MQTT broker.',
    place: 'Building A',
    url: 'mqtt://broker.site.example:1883',
    topics: ['zigbee2mqtt/#'],
    observeSeconds: 10,
    // Interval 0 keeps the scheduler from harvesting this source by itself.
    intervalSeconds: 0,
    enabled: true,
  };
  const source = await app.get(SourcesService).upsert(config);
  const runPid = await startRun(app, source, window.startedAt);

  const snapshot: HarvestSnapshot = {
    sourceId: sourceKey,
    sourceKind: 'mqtt',
    harvester: HARVESTER,
    startedAt: window.startedAt,
    endedAt: window.endedAt,
    sourceDetails: {},
    datasets,
    issues: [],
    complete: false,
  };
  const changes = await app.get(SnapshotWriterService).write(source, snapshot, runPid);
  await endRun(app, source, runPid, snapshot, changes);
  return { source, runPid, changes };
}

async function startRun(
  app: INestApplication,
  source: SourceSystemEntity,
  startedAt: string,
): Promise<string> {
  const identifiers = app.get(IdentifiersService);
  return app.get(DataSource).transaction(async (manager) => {
    const id = randomUUID();
    const pid = await identifiers.mint(manager, 'activity', id);
    await manager.getRepository(HarvestRunEntity).insert({
      id,
      pid,
      sourceId: source.id,
      status: 'running',
      trigger: 'demand',
      requestedBy: null,
      harvester: 'pending',
      startedAt: new Date(startedAt),
      endedAt: null,
      issues: [],
      error: null,
      attempt: 0,
      prov: {},
    });
    return pid;
  });
}

async function endRun(
  app: INestApplication,
  source: SourceSystemEntity,
  runPid: string,
  snapshot: HarvestSnapshot,
  changes: SnapshotChanges,
): Promise<void> {
  const prov = harvestActivityDocument({
    activityPid: runPid,
    sourcePid: source.pid,
    sourceTitle: source.title,
    harvester: snapshot.harvester,
    trigger: 'demand',
    requestedBy: null,
    startedAt: new Date(snapshot.startedAt),
    endedAt: new Date(snapshot.endedAt),
    status: 'succeeded',
    changes,
    issues: [],
    datasetCount: snapshot.datasets.length,
  });
  await app
    .get(DataSource)
    .getRepository(HarvestRunEntity)
    .update(
      { pid: runPid },
      {
        status: 'succeeded',
        harvester: snapshot.harvester,
        endedAt: new Date(snapshot.endedAt),
        datasetsCreated: changes.created.length,
        datasetsUpdated: changes.updated.length,
        datasetsUnchanged: changes.unchanged,
        datasetsWithdrawn: changes.withdrawn.length,
        prov: asJson(prov),
      },
    );
}

/** Build an MQTT topic dataset as the MQTT harvester reports one, with one MQTT distribution. */
export function topicDataset(
  topic: string,
  title: string,
  place: string,
  properties: HarvestedProperty[],
): HarvestedDataset {
  return {
    key: topic,
    kind: 'mqtt-topic',
    title,
    keywords: [place.toLowerCase()],
    place,
    format: 'zigbee2mqtt',
    properties,
    distributions: [
      {
        key: 'mqtt',
        title: 'Live MQTT messages',
        accessUrl: `mqtt://broker.site.example:1883/${topic}`,
        mediaType: 'application/json',
        format: 'JSON',
        accessQuery: topic,
      },
    ],
    details: { retained: false, qos: 0 },
  };
}

export const TEMPERATURE: HarvestedProperty = {
  name: 'temperature',
  datatypes: ['xsd:double'],
  unit: 'Cel',
  unitSourceText: '°C',
  quantityKind: 'Temperature',
  minimum: 19.5,
  maximum: 23.25,
  observedCount: 120,
};

/** Build the dataset the golden file describes, with every kind of metadata a harvest can give. */
export function kitchenClimate(): HarvestedDataset {
  return {
    ...topicDataset('zigbee2mqtt/kitchen_climate', 'Kitchen climate sensor', 'Kitchen', [
      TEMPERATURE,
      {
        name: 'humidity',
        datatypes: ['xsd:double'],
        unit: '%',
        unitSourceText: '%',
        quantityKind: 'RelativeHumidity',
        minimum: 41,
        maximum: 58.5,
        observedCount: 120,
      },
      {
        name: 'linkquality',
        label: 'Link quality',
        datatypes: ['xsd:integer'],
        minimum: 87,
        maximum: 255,
        observedCount: 120,
      },
    ]),
    description: 'Temperature and relative humidity in the kitchen, from a Zigbee sensor.',
    keywords: ['kitchen', 'climate'],
    device: { manufacturer: 'Aqara', model: 'WSDCGQ11LM', name: 'kitchen_climate' },
    temporal: { start: '2025-03-01T08:00:00.000Z', end: '2025-03-01T10:00:00.000Z' },
  };
}

/** Return the local id of a Weft identifier under the test base URL. */
export function localIdOf(pid: string): string {
  const localId = pid.split('/').pop();
  if (localId === undefined || localId === '') {
    throw new Error(`identifier ${pid} has no local id`);
  }
  return localId;
}
