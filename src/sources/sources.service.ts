import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DataServiceEntity } from '../catalog/entities/data-service.entity';
import { DERIVED_SOURCE_KEY, SourceSystemEntity } from '../catalog/entities/source-system.entity';
import { asJson } from '../common/json';
import { WeftConfigService } from '../config/weft-config.service';
import { IdentifiersService } from '../identifiers/identifiers.service';
import { readSourcesFile } from './source-config.parser';
import type { SourceConfigProblem } from './source-config.parser';
import type { SourceConfig } from './source-config.types';

const CONFORMS_TO: Record<SourceConfig['kind'], string> = {
  mqtt: 'https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html',
  opcua: 'https://reference.opcfoundation.org/Core/Part6/',
  'opcua-nodeset': 'https://reference.opcfoundation.org/Core/Part6/v105/docs/F',
  'influxdb-v1': 'https://docs.influxdata.com/influxdb/v1/tools/api/',
  'influxdb-v2': 'https://docs.influxdata.com/influxdb/v2/api/',
  postgresql: 'https://www.postgresql.org/docs/current/protocol.html',
};

/**
 * The registry of configured sources: reads the sources file at start-up,
 * keeps each source as a catalog entry with its own identifier, and lets
 * admins add, change and remove sources at run time.
 */
@Injectable()
export class SourcesService implements OnModuleInit {
  private readonly logger = new Logger(SourcesService.name);
  private problems: SourceConfigProblem[] = [];
  private readonly listeners: Array<(source: SourceSystemEntity) => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly identifiers: IdentifiersService,
    private readonly config: WeftConfigService,
  ) {}

  async onModuleInit(): Promise<void> {
    const file = this.config.value.sourcesFile;
    if (file === null) {
      return;
    }
    const parsed = readSourcesFile(file);
    this.problems = parsed.problems;
    for (const problem of parsed.problems) {
      // One bad entry must not stop the good ones: it is reported and left out.
      this.logger.error({
        msg: 'invalid source configuration, source skipped',
        where: problem.where,
        problem: problem.message,
      });
    }
    for (const source of parsed.sources) {
      await this.upsert(source);
    }
    this.logger.log({
      msg: 'sources loaded',
      file,
      sources: parsed.sources.length,
      invalid: parsed.problems.length,
    });
  }

  /** Problems found in the sources file, for admins. */
  configProblems(): SourceConfigProblem[] {
    return [...this.problems];
  }

  /** Called whenever a source is created or changed, so the scheduler can pick it up. */
  onChange(listener: (source: SourceSystemEntity) => void): void {
    this.listeners.push(listener);
  }

  async list(): Promise<SourceSystemEntity[]> {
    return this.dataSource.getRepository(SourceSystemEntity).find({ order: { sourceKey: 'ASC' } });
  }

  async findByKey(sourceKey: string): Promise<SourceSystemEntity | null> {
    return this.dataSource.getRepository(SourceSystemEntity).findOne({ where: { sourceKey } });
  }

  /** Create or update a source from its configuration, minting its identifier once. */
  async upsert(config: SourceConfig): Promise<SourceSystemEntity> {
    rejectReservedKey(config.id);
    const saved = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(SourceSystemEntity);
      const existing = await repository.findOne({ where: { sourceKey: config.id } });
      const fields = {
        kind: config.kind,
        title: config.title ?? config.id,
        description: config.description ?? null,
        place: config.place ?? null,
        endpointUrl: endpointOf(config),
        config: asJson(config),
        status: 'active' as const,
      };

      if (existing !== null) {
        await repository.update({ id: existing.id }, fields);
        return repository.findOneOrFail({ where: { id: existing.id } });
      }

      const id = crypto.randomUUID();
      const pid = await this.identifiers.mint(manager, 'source', id);
      await repository.insert({ id, pid, sourceKey: config.id, details: {}, ...fields });
      const endpoint = endpointOf(config);
      if (endpoint !== null) {
        const serviceId = crypto.randomUUID();
        const servicePid = await this.identifiers.mint(manager, 'data-service', serviceId);
        await manager.getRepository(DataServiceEntity).insert({
          id: serviceId,
          pid: servicePid,
          sourceId: id,
          serviceKey: null,
          title: `${fields.title} endpoint`,
          endpointUrl: endpoint,
          conformsTo: CONFORMS_TO[config.kind],
          endpointDescription: null,
        });
      }
      return repository.findOneOrFail({ where: { id } });
    });

    for (const listener of this.listeners) {
      listener(saved);
    }
    return saved;
  }

  /** Mark a source as removed: it is no longer harvested; its datasets and identifiers stay. */
  async remove(sourceKey: string): Promise<SourceSystemEntity | null> {
    rejectReservedKey(sourceKey);
    const repository = this.dataSource.getRepository(SourceSystemEntity);
    const existing = await repository.findOne({ where: { sourceKey } });
    if (existing === null) {
      return null;
    }
    await repository.update({ id: existing.id }, { status: 'removed' });
    const updated = await repository.findOneOrFail({ where: { id: existing.id } });
    for (const listener of this.listeners) {
      listener(updated);
    }
    return updated;
  }
}

function rejectReservedKey(sourceKey: string): void {
  if (sourceKey === DERIVED_SOURCE_KEY) {
    throw new Error(
      `source id "${sourceKey}" is reserved for the built-in source of derived datasets: choose another id`,
    );
  }
}

/** The source's endpoint without credentials, or null for offline sources such as NodeSet files. */
export function endpointOf(config: SourceConfig): string | null {
  switch (config.kind) {
    case 'mqtt':
    case 'influxdb-v1':
    case 'influxdb-v2':
    case 'postgresql':
      return withoutCredentials(config.url);
    case 'opcua':
      return withoutCredentials(config.endpointUrl);
    case 'opcua-nodeset':
      return null;
  }
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
