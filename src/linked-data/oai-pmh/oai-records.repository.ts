import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { readableDatasetSql } from '../../auth/dataset-access';
import { ANONYMOUS } from '../../auth/viewer';

/** The header facts of one OAI-PMH record: a dataset that is, or was, public. */
export interface OaiRecordRow {
  datasetId: string;
  pid: string;
  /** When the record last changed, truncated to seconds (the repository's granularity). */
  datestamp: Date;
  /** True for withdrawn datasets and for datasets no longer public. */
  deleted: boolean;
  sourceKey: string;
  /** Position in the list, `created_at` with microseconds, for resumption. */
  cursorTime: string;
}

/** What a list request selects. */
export interface OaiSelection {
  /** Source key of a set (`source:<key>`), or null for all records. */
  sourceKey: string | null;
  from: Date | null;
  /** Inclusive upper bound; null for none. */
  until: Date | null;
}

/** Where a page starts: after the record with this creation time and id. */
export interface OaiPosition {
  cursorTime: string;
  datasetId: string;
}

/** A set of the repository: one per source system. */
export interface OaiSetRow {
  sourceKey: string;
  title: string;
  description: string | null;
}

/**
 * The record's datestamp: the last change of its metadata, or its
 * withdrawal. Steward changes of licence and access level move
 * modified_at too.
 */
const DATESTAMP = `date_trunc('second', GREATEST(d.modified_at, COALESCE(d.withdrawn_at, d.modified_at)))`;

/**
 * OAI-PMH harvesters read anonymously, so a record is live when an
 * anonymous viewer may read the dataset. The anonymous rule binds no
 * parameters, so the condition fits in constant SQL.
 */
const ANONYMOUSLY_READABLE = readableDatasetSql(ANONYMOUS, 'd', () => {
  throw new Error('the anonymous access rule binds no parameters');
});

/**
 * A dataset belongs to the repository when it is public now or was public
 * before a steward changed its access level, so that a dataset taken out
 * of public view stays as a deleted record (deletedRecord "persistent").
 */
const IN_REPOSITORY = `(${ANONYMOUSLY_READABLE} OR EXISTS (
  SELECT 1 FROM dataset_change c
  WHERE c.dataset_id = d.id AND c.change_type = 'access'
    AND c.changes -> 'accessLevel' ->> 'from' = 'public'))`;

const COLUMNS = `d.id AS "datasetId", d.pid AS pid, ${DATESTAMP} AS datestamp,
  (d.status = 'withdrawn' OR NOT ${ANONYMOUSLY_READABLE}) AS deleted,
  s.source_key AS "sourceKey",
  to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorTime"`;

/** Reads the OAI-PMH view of the catalog with plain SQL, one query per request. */
@Injectable()
export class OaiRecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Return one page of records in catalog order, after `position` when given. */
  async list(
    selection: OaiSelection,
    position: OaiPosition | null,
    limit: number,
  ): Promise<OaiRecordRow[]> {
    const where = this.conditions(selection);
    if (position !== null) {
      where.clauses.push(
        `(d.created_at, d.id) > ($${where.parameters.length + 1}::timestamptz, $${where.parameters.length + 2}::uuid)`,
      );
      where.parameters.push(position.cursorTime, position.datasetId);
    }
    where.parameters.push(limit);
    const rows = await this.dataSource.query<RawRow[]>(
      `SELECT ${COLUMNS} FROM dataset d JOIN source_system s ON s.id = d.source_id
       WHERE ${where.clauses.join(' AND ')}
       ORDER BY d.created_at, d.id
       LIMIT $${where.parameters.length}`,
      where.parameters,
    );
    return rows.map(toRow);
  }

  /** Count the records a selection matches, for completeListSize. */
  async count(selection: OaiSelection): Promise<number> {
    const where = this.conditions(selection);
    const rows = await this.dataSource.query<Array<{ count: string | number }>>(
      `SELECT COUNT(*) AS count FROM dataset d JOIN source_system s ON s.id = d.source_id
       WHERE ${where.clauses.join(' AND ')}`,
      where.parameters,
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Return the record of a dataset identifier, or null when no such record is in the repository. */
  async byPid(pid: string): Promise<OaiRecordRow | null> {
    const rows = await this.dataSource.query<RawRow[]>(
      `SELECT ${COLUMNS} FROM dataset d JOIN source_system s ON s.id = d.source_id
       WHERE d.pid = $1 AND ${IN_REPOSITORY}`,
      [pid],
    );
    return rows.length === 0 ? null : toRow(rows[0]);
  }

  /** Return the earliest datestamp in the repository, or null when it is empty. */
  async earliestDatestamp(): Promise<Date | null> {
    const rows = await this.dataSource.query<Array<{ earliest: Date | string | null }>>(
      `SELECT MIN(${DATESTAMP}) AS earliest FROM dataset d WHERE ${IN_REPOSITORY}`,
    );
    const earliest = rows[0]?.earliest ?? null;
    return earliest === null ? null : new Date(earliest);
  }

  /** Return the sets: every source system, by key. */
  async sets(): Promise<OaiSetRow[]> {
    return this.dataSource.query<OaiSetRow[]>(
      `SELECT source_key AS "sourceKey", title, description FROM source_system ORDER BY source_key`,
    );
  }

  /** Say whether a source key names a set. */
  async setExists(sourceKey: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM source_system WHERE source_key = $1',
      [sourceKey],
    );
    return rows.length > 0;
  }

  private conditions(selection: OaiSelection): { clauses: string[]; parameters: unknown[] } {
    const clauses = [IN_REPOSITORY];
    const parameters: unknown[] = [];
    if (selection.sourceKey !== null) {
      parameters.push(selection.sourceKey);
      clauses.push(`s.source_key = $${parameters.length}`);
    }
    if (selection.from !== null) {
      parameters.push(selection.from.toISOString());
      clauses.push(`${DATESTAMP} >= $${parameters.length}::timestamptz`);
    }
    if (selection.until !== null) {
      parameters.push(selection.until.toISOString());
      clauses.push(`${DATESTAMP} <= $${parameters.length}::timestamptz`);
    }
    return { clauses, parameters };
  }
}

interface RawRow {
  datasetId: string;
  pid: string;
  datestamp: Date | string;
  deleted: boolean;
  sourceKey: string;
  cursorTime: string;
}

function toRow(raw: RawRow): OaiRecordRow {
  return { ...raw, datestamp: new Date(raw.datestamp) };
}
