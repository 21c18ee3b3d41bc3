import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { actorName } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import { UserInputError } from '../graphql/graphql-errors';
import { SnapshotWriterService } from '../harvest/ingest/snapshot-writer.service';
import { DatasetEntity } from './entities/dataset.entity';

/** Curation writes that are not licences: withdrawing datasets by hand. */
@Injectable()
export class CatalogWriterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly snapshots: SnapshotWriterService,
  ) {}

  async withdrawByPid(pid: string, reason: string, viewer: Viewer): Promise<DatasetEntity> {
    if (reason.trim() === '') {
      throw new UserInputError(
        'reason is empty: say why the dataset is withdrawn (the tombstone shows it)',
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const dataset = await manager.getRepository(DatasetEntity).findOne({ where: { pid } });
      if (dataset === null) {
        throw new UserInputError(`dataset ${pid} not found: check the identifier`, true);
      }
      if (dataset.status === 'active') {
        await this.snapshots.withdraw(manager, dataset, null, reason.trim(), actorName(viewer));
      }
      return manager.getRepository(DatasetEntity).findOneOrFail({ where: { id: dataset.id } });
    });
  }
}
