import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';

import { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { asJson } from '../../common/json';
import { DistributionEntity } from '../../catalog/entities/distribution.entity';
import { ObservablePropertyEntity } from '../../catalog/entities/observable-property.entity';
import { DERIVED_SOURCE_KIND } from '../../catalog/entities/source-system.entity';
import type { SourceSystemEntity } from '../../catalog/entities/source-system.entity';
import { WeftConfigService } from '../../config/weft-config.service';
import { IdentifiersService } from '../../identifiers/identifiers.service';
import { DatasetChangeEntity } from '../../provenance/dataset-change.entity';
import type { HarvestedDataset, HarvestSnapshot } from '../harvest.types';
import { fingerprint, searchText } from './dataset-fingerprint';

/** What one snapshot changed in the catalog, for the harvest run's provenance. */
export interface SnapshotChanges {
  created: string[];
  updated: string[];
  unchanged: number;
  withdrawn: string[];
  restored: string[];
  /** Field-level differences of updated datasets, keyed by dataset identifier. */
  differences: Record<string, string[]>;
}

/**
 * Turns a harvest snapshot into catalog entries: creates datasets with new
 * identifiers, updates changed ones, restores datasets that reappear and,
 * when the snapshot covers the whole source, withdraws datasets that are
 * gone. Identifiers are never reassigned: a dataset is matched by its source
 * and natural key, so renaming a device keeps its identifier.
 */
@Injectable()
export class SnapshotWriterService {
  private readonly logger = new Logger(SnapshotWriterService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly identifiers: IdentifiersService,
    private readonly config: WeftConfigService,
  ) {}

  async write(
    source: SourceSystemEntity,
    snapshot: HarvestSnapshot,
    activityPid: string,
  ): Promise<SnapshotChanges> {
    // A complete snapshot withdraws what it does not contain; derived datasets are never in one.
    if (source.kind === DERIVED_SOURCE_KIND) {
      throw new Error(
        `source ${source.sourceKey} contains derived datasets and cannot take a harvest snapshot`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const changes: SnapshotChanges = {
        created: [],
        updated: [],
        unchanged: 0,
        withdrawn: [],
        restored: [],
        differences: {},
      };
      const existing = await manager
        .getRepository(DatasetEntity)
        .find({ where: { sourceId: source.id } });
      const byKey = new Map(existing.map((dataset) => [dataset.naturalKey, dataset]));
      const seen = new Set<string>();
      const harvestedAt = new Date(snapshot.endedAt);

      for (const harvested of dedupeByKey(snapshot.datasets)) {
        seen.add(harvested.key);
        const current = byKey.get(harvested.key);
        if (current === undefined) {
          const pid = await this.create(manager, source, harvested, harvestedAt, activityPid);
          changes.created.push(pid);
          continue;
        }
        await this.update(manager, source, current, harvested, harvestedAt, activityPid, changes);
      }

      if (snapshot.complete) {
        for (const dataset of existing) {
          if (dataset.status === 'active' && !seen.has(dataset.naturalKey)) {
            await this.withdraw(manager, dataset, activityPid, 'no longer present in its source');
            changes.withdrawn.push(dataset.pid);
          }
        }
      }
      return changes;
    });
  }

  private async create(
    manager: EntityManager,
    source: SourceSystemEntity,
    harvested: HarvestedDataset,
    harvestedAt: Date,
    activityPid: string,
  ): Promise<string> {
    const repository = manager.getRepository(DatasetEntity);
    const dataset = repository.create({
      ...this.descriptiveFields(harvested, source),
      id: crypto.randomUUID(),
      sourceId: source.id,
      naturalKey: harvested.key,
      kind: harvested.kind,
      licenceId: null,
      rightsHolder: null,
      accessLevel: this.config.value.defaultAccessLevel,
      status: 'active',
      withdrawnAt: null,
      withdrawnReason: null,
      firstHarvestedAt: harvestedAt,
      lastHarvestedAt: harvestedAt,
      modifiedAt: harvestedAt,
    });
    dataset.pid = await this.identifiers.mint(manager, 'dataset', dataset.id);
    await repository.insert(dataset);
    await this.replaceProperties(manager, dataset.id, harvested);
    await this.syncDistributions(manager, dataset.id, harvested);
    await manager.getRepository(DatasetChangeEntity).insert({
      datasetId: dataset.id,
      changeType: 'created',
      changedAt: harvestedAt,
      changedBy: 'harvester',
      reason: `first seen in source ${source.sourceKey}`,
      changes: {},
      activityPid,
    });
    return dataset.pid;
  }

  private async update(
    manager: EntityManager,
    source: SourceSystemEntity,
    current: DatasetEntity,
    harvested: HarvestedDataset,
    harvestedAt: Date,
    activityPid: string,
    changes: SnapshotChanges,
  ): Promise<void> {
    const repository = manager.getRepository(DatasetEntity);
    const fields = this.descriptiveFields(harvested, source, current);
    const restored = current.status === 'withdrawn';
    const changed = fields.contentHash !== current.contentHash;

    if (restored) {
      await this.identifiers.restore(manager, 'dataset', current.id);
      changes.restored.push(current.pid);
    }

    const differences = changed ? diffDescriptive(current, fields) : {};
    await repository.update(
      { id: current.id },
      {
        ...fields,
        status: 'active',
        withdrawnAt: null,
        withdrawnReason: null,
        // Keep the earliest start and the latest end seen over all runs.
        temporalStart: earliest(current.temporalStart, fields.temporalStart),
        temporalEnd: latest(current.temporalEnd, fields.temporalEnd),
        lastHarvestedAt: harvestedAt,
        modifiedAt: changed || restored ? harvestedAt : current.modifiedAt,
      },
    );
    // Statistics (counts, ranges) change with every message: refresh them on every run.
    await this.replaceProperties(manager, current.id, harvested);
    await this.syncDistributions(manager, current.id, harvested);

    if (changed || restored) {
      await manager.getRepository(DatasetChangeEntity).insert({
        datasetId: current.id,
        changeType: restored ? 'restored' : 'updated',
        changedAt: harvestedAt,
        changedBy: 'harvester',
        reason: restored ? 'seen again in its source' : 'harvested metadata changed',
        changes: asJson(differences),
        activityPid,
      });
    }
    if (changed) {
      changes.updated.push(current.pid);
      changes.differences[current.pid] = Object.keys(differences);
    } else if (!restored) {
      changes.unchanged += 1;
    }
  }

  /** Withdraw a dataset: it leaves search results, and its identifier answers with a tombstone. */
  async withdraw(
    manager: EntityManager,
    dataset: DatasetEntity,
    activityPid: string | null,
    reason: string,
    by = 'harvester',
  ): Promise<void> {
    const now = new Date();
    await manager
      .getRepository(DatasetEntity)
      .update(
        { id: dataset.id },
        { status: 'withdrawn', withdrawnAt: now, withdrawnReason: reason },
      );
    await manager
      .getRepository(DistributionEntity)
      .update({ datasetId: dataset.id }, { status: 'withdrawn' });
    await this.identifiers.withdraw(manager, 'dataset', dataset.id, {
      type: 'dcat:Dataset',
      title: dataset.title,
      naturalKey: dataset.naturalKey,
      reason,
    });
    await manager.getRepository(DatasetChangeEntity).insert({
      datasetId: dataset.id,
      changeType: 'withdrawn',
      changedAt: now,
      changedBy: by,
      reason,
      changes: { status: { from: 'active', to: 'withdrawn' } },
      activityPid,
    });
    this.logger.log({ msg: 'dataset withdrawn', datasetPid: dataset.pid, reason });
  }

  /**
   * The catalog fields of a harvested dataset. Fields a steward curated on
   * `current` keep the steward's values, in the search text too. The
   * fingerprint stays that of the harvested metadata, so a curated field
   * does not count as a change on every run.
   */
  private descriptiveFields(
    harvested: HarvestedDataset,
    source: SourceSystemEntity,
    current?: DatasetEntity,
  ) {
    const shown = current === undefined ? harvested : withCuratedFields(harvested, current);
    const units = unique(harvested.properties.map((property) => property.unit));
    const quantityKinds = unique(harvested.properties.map((property) => property.quantityKind));
    return {
      title: harvested.title.slice(0, 500),
      description: shown.description ?? null,
      keywords: unique(shown.keywords).slice(0, 50),
      place: harvested.place ?? source.place ?? null,
      format: harvested.format ?? null,
      device: harvested.device === undefined ? null : asJson(harvested.device),
      temporalStart: parseDate(harvested.temporal?.start),
      temporalEnd: parseDate(harvested.temporal?.end),
      details: asJson(harvested.details),
      units,
      quantityKinds,
      searchText: searchText(shown, source.title),
      contentHash: fingerprint(harvested),
    };
  }

  private async replaceProperties(
    manager: EntityManager,
    datasetId: string,
    harvested: HarvestedDataset,
  ): Promise<void> {
    const repository = manager.getRepository(ObservablePropertyEntity);
    await repository.delete({ datasetId });
    if (harvested.properties.length === 0) {
      return;
    }
    const names = new Set<string>();
    const rows = [];
    for (const property of harvested.properties) {
      if (names.has(property.name)) {
        continue;
      }
      names.add(property.name);
      rows.push({
        datasetId,
        name: property.name,
        label: property.label ?? null,
        description: property.description ?? null,
        datatypes: property.datatypes,
        unit: property.unit ?? null,
        unitSourceText: property.unitSourceText ?? null,
        quantityKind: property.quantityKind ?? null,
        minimum: finiteOrNull(property.minimum),
        maximum: finiteOrNull(property.maximum),
        observedCount: property.observedCount ?? null,
        anomalies: property.anomalies ?? null,
        enumValues: property.enumValues ?? null,
      });
    }
    for (let offset = 0; offset < rows.length; offset += 500) {
      await repository.insert(rows.slice(offset, offset + 500));
    }
  }

  private async syncDistributions(
    manager: EntityManager,
    datasetId: string,
    harvested: HarvestedDataset,
  ): Promise<void> {
    const repository = manager.getRepository(DistributionEntity);
    const existing = await repository.find({ where: { datasetId } });
    const byKey = new Map(existing.map((distribution) => [distribution.key, distribution]));
    const seen = new Set<string>();

    for (const harvestedDistribution of harvested.distributions) {
      if (seen.has(harvestedDistribution.key)) {
        continue;
      }
      seen.add(harvestedDistribution.key);
      const fields = {
        title: harvestedDistribution.title,
        accessUrl: harvestedDistribution.accessUrl,
        mediaType: harvestedDistribution.mediaType ?? null,
        format: harvestedDistribution.format ?? null,
        accessQuery: harvestedDistribution.accessQuery ?? null,
        description: harvestedDistribution.description ?? null,
        status: 'active' as const,
      };
      const current = byKey.get(harvestedDistribution.key);
      if (current === undefined) {
        const id = crypto.randomUUID();
        const pid = await this.identifiers.mint(manager, 'distribution', id);
        await repository.insert({
          id,
          pid,
          datasetId,
          key: harvestedDistribution.key,
          dataServiceId: null,
          ...fields,
        });
      } else {
        await repository.update({ id: current.id }, fields);
      }
    }

    for (const distribution of existing) {
      if (!seen.has(distribution.key) && distribution.status === 'active') {
        await repository.update({ id: distribution.id }, { status: 'withdrawn' });
        await this.identifiers.withdraw(manager, 'distribution', distribution.id, {
          type: 'dcat:Distribution',
          title: distribution.title,
          reason: 'no longer offered by the source',
        });
      }
    }
  }
}

/** The harvested dataset with the description and keywords a steward curated on `current`. */
function withCuratedFields(harvested: HarvestedDataset, current: DatasetEntity): HarvestedDataset {
  const curated = new Set(current.curatedFields);
  const shown: HarvestedDataset = { ...harvested };
  if (curated.has('description')) {
    shown.description = current.description ?? undefined;
  }
  if (curated.has('keywords')) {
    shown.keywords = current.keywords;
  }
  return shown;
}

function dedupeByKey(datasets: HarvestedDataset[]): HarvestedDataset[] {
  const byKey = new Map<string, HarvestedDataset>();
  for (const dataset of datasets) {
    byKey.set(dataset.key, dataset);
  }
  return [...byKey.values()];
}

function diffDescriptive(
  current: DatasetEntity,
  next: {
    title: string;
    description: string | null;
    keywords: string[];
    place: string | null;
    format: string | null;
    units: string[];
    quantityKinds: string[];
  },
): Record<string, { from: unknown; to: unknown }> {
  const differences: Record<string, { from: unknown; to: unknown }> = {};
  const compare = (field: string, from: unknown, to: unknown): void => {
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      differences[field] = { from, to };
    }
  };
  compare('title', current.title, next.title);
  compare('description', current.description, next.description);
  compare('keywords', [...current.keywords].sort(), [...next.keywords].sort());
  compare('place', current.place, next.place);
  compare('format', current.format, next.format);
  compare('units', [...current.units].sort(), [...next.units].sort());
  compare('quantityKinds', [...current.quantityKinds].sort(), [...next.quantityKinds].sort());
  if (Object.keys(differences).length === 0) {
    // NOTE: a change of only the harvested description or keywords of a dataset whose
    // steward curated them also lands here, because `next` carries the curated values.
    differences.properties = { from: 'previous schema', to: 'changed schema or distributions' };
  }
  return differences;
}

function unique(values: Array<string | undefined>): string[] {
  return [
    ...new Set(values.filter((value): value is string => value !== undefined && value !== '')),
  ].sort();
}

function parseDate(text: string | undefined): Date | null {
  if (text === undefined) {
    return null;
  }
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function earliest(left: Date | null, right: Date | null): Date | null {
  if (left === null) return right;
  if (right === null) return left;
  return left < right ? left : right;
}

function latest(left: Date | null, right: Date | null): Date | null {
  if (left === null) return right;
  if (right === null) return left;
  return left > right ? left : right;
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
