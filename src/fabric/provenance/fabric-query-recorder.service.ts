import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { asJson } from '../../common/json';
import { IdentifiersService } from '../../identifiers/identifiers.service';
import { FabricQueryEntity } from './fabric-query.entity';
import { fabricQueryDocument } from './fabric-query.prov';
import type { FabricQueryFacts } from './fabric-query.prov';

/** Pushed-down statements kept per query row; a join over many rows keeps the first ones. */
const MAX_STORED_STATEMENTS = 1000;

/**
 * Records each data query as a PROV-O activity with its own persistent
 * identifier (entity type `activity`, like harvest runs). The identifier is
 * minted in the same transaction as the row, so a returned identifier
 * resolves. The exception is a database crash within moments of the query,
 * because the commit does not wait for the disk (`synchronous_commit = off`).
 */
@Injectable()
export class FabricQueryRecorder {
  private readonly logger = new Logger(FabricQueryRecorder.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly identifiers: IdentifiersService,
  ) {}

  async record(
    facts: Omit<FabricQueryFacts, 'activityPid'>,
    requesterSubject: string | null,
  ): Promise<FabricQueryEntity> {
    const saved = await this.dataSource.transaction(async (manager) => {
      // A query record is a log entry: committing without waiting for the WAL flush saves
      // a disk sync per query, and a crash can lose at most the last records, never corrupt them.
      await manager.query('SET LOCAL synchronous_commit = off');
      const id = randomUUID();
      const pid = await this.identifiers.mint(manager, 'activity', id);
      const prov = fabricQueryDocument({ ...facts, activityPid: pid });
      const entity: FabricQueryEntity = {
        id,
        pid,
        operation: facts.operation,
        status: facts.status,
        requestedBy: facts.requestedBy,
        requesterSubject,
        startedAt: facts.startedAt,
        endedAt: facts.endedAt,
        input: asJson(facts.input),
        datasets: facts.datasets,
        sources: facts.sources,
        pushedDown: facts.pushedDown.slice(0, MAX_STORED_STATEMENTS).map((query) => asJson(query)),
        rowCount: facts.rowCount,
        resultChecksum: facts.resultChecksum,
        error: facts.error,
        prov: asJson(prov),
      };
      await manager.getRepository(FabricQueryEntity).insert(entity);
      return entity;
    });

    this.logger.log({
      msg: 'data query recorded',
      activity: saved.pid,
      operation: saved.operation,
      status: saved.status,
      datasets: saved.datasets,
      rows: saved.rowCount,
      durationMs: saved.endedAt.getTime() - saved.startedAt.getTime(),
    });
    return saved;
  }

  async byId(id: string): Promise<FabricQueryEntity | null> {
    return this.dataSource.getRepository(FabricQueryEntity).findOne({ where: { id } });
  }

  async byPid(pid: string): Promise<FabricQueryEntity | null> {
    return this.dataSource.getRepository(FabricQueryEntity).findOne({ where: { pid } });
  }
}
