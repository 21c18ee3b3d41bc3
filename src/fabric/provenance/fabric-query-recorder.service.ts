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

/** Local ids drawn before giving up; a collision among 29^9 ids is already rare. */
const MINT_ATTEMPTS = 5;

/**
 * Mints the activity's identifier and inserts its record in one statement,
 * so a query's provenance costs one round trip to the database. Both rows
 * commit together or not at all, and a local id that is already taken
 * inserts neither (the caller draws another). `set_config(..., true)` turns
 * off `synchronous_commit` for this statement's own transaction only.
 */
const INSERT_RECORD = `
WITH commit_setting AS (
  SELECT set_config('synchronous_commit', 'off', true)
), minted AS (
  INSERT INTO "identifier" ("local_id", "entity_type", "entity_id")
  SELECT $1::text, 'activity', $2::uuid FROM commit_setting
  ON CONFLICT DO NOTHING
  RETURNING "local_id"
)
INSERT INTO "fabric_query" (
  "id", "pid", "operation", "status", "requested_by", "requester_subject",
  "started_at", "ended_at", "input", "datasets", "sources", "pushed_down",
  "row_count", "result_checksum", "error", "prov"
)
SELECT $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::text,
  $8::timestamptz, $9::timestamptz, $10::text::jsonb, $11::text[], $12::text[], $13::text::jsonb,
  $14::integer, $15::text, $16::text, $17::text::jsonb
FROM minted
RETURNING "id"`;

/**
 * Records each data query as a PROV-O activity with its own persistent
 * identifier (entity type `activity`, like harvest runs). The identifier is
 * minted in the same statement as the row, and the statement has committed
 * before `record` returns, so a returned identifier resolves. The exception
 * is a database crash within moments of the query, because the commit does
 * not wait for the disk (`synchronous_commit = off`).
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
    const id = randomUUID();
    const pushedDown = facts.pushedDown.slice(0, MAX_STORED_STATEMENTS);
    const input = JSON.stringify(facts.input);
    const pushedDownJson = JSON.stringify(pushedDown);

    for (let attempt = 0; attempt < MINT_ATTEMPTS; attempt++) {
      const localId = this.identifiers.randomLocalId();
      const pid = this.identifiers.toPid(localId);
      const prov = fabricQueryDocument({ ...facts, activityPid: pid });
      // A query record is a log entry: committing without waiting for the WAL flush saves
      // a disk sync per query, and a crash can lose at most the last records, never corrupt them.
      const inserted = await this.dataSource.query<Array<{ id: string }>>(INSERT_RECORD, [
        localId,
        id,
        pid,
        facts.operation,
        facts.status,
        facts.requestedBy,
        requesterSubject,
        facts.startedAt,
        facts.endedAt,
        input,
        facts.datasets,
        facts.sources,
        pushedDownJson,
        facts.rowCount,
        facts.resultChecksum,
        facts.error,
        JSON.stringify(prov),
      ]);
      if (inserted.length === 1) {
        const saved: FabricQueryEntity = {
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
          pushedDown: pushedDown.map((query) => asJson(query)),
          rowCount: facts.rowCount,
          resultChecksum: facts.resultChecksum,
          error: facts.error,
          prov: asJson(prov),
        };
        this.logRecorded(saved);
        return saved;
      }
      this.logger.warn({ msg: 'identifier collision, minting another', localId, activity: id });
    }
    throw new Error(
      `could not mint a unique identifier for activity ${id} after ${MINT_ATTEMPTS} attempts`,
    );
  }

  async byId(id: string): Promise<FabricQueryEntity | null> {
    return this.dataSource.getRepository(FabricQueryEntity).findOne({ where: { id } });
  }

  async byPid(pid: string): Promise<FabricQueryEntity | null> {
    return this.dataSource.getRepository(FabricQueryEntity).findOne({ where: { pid } });
  }

  private logRecorded(saved: FabricQueryEntity): void {
    this.logger.log({
      msg: 'data query recorded',
      activity: saved.pid,
      operation: saved.operation,
      status: saved.status,
      datasets: saved.datasets,
      rows: saved.rowCount,
      durationMs: saved.endedAt.getTime() - saved.startedAt.getTime(),
    });
  }
}
