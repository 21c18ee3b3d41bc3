import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { JsonRecord } from '../../common/json';

export type FabricQueryStatus = 'succeeded' | 'failed';

/** The GraphQL field that ran the query. */
export type FabricOperation = 'observations' | 'rows' | 'joinSeries';

/**
 * One data query answered through the fabric, a prov:Activity. It stores
 * what the RDA recommendation on citing dynamic data asks a query store to
 * keep: the normalised query, its execution time, the statements the
 * sources ran and a checksum of the result.
 */
@Entity({ name: 'fabric_query' })
@Index('fabric_query_started_idx', ['startedAt'])
export class FabricQueryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'pid', type: 'text', unique: true })
  pid!: string;

  @Column({ type: 'text' })
  operation!: FabricOperation;

  @Column({ type: 'text' })
  status!: FabricQueryStatus;

  /** Account name of who asked, or null for an anonymous request. */
  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy!: string | null;

  /** Token subject of who asked, or null for an anonymous request. */
  @Column({ name: 'requester_subject', type: 'text', nullable: true })
  requesterSubject!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz' })
  endedAt!: Date;

  /** The query as validated: dataset identifiers, time range, fields, filters, page. */
  @Column({ type: 'jsonb' })
  input!: JsonRecord;

  /** Identifiers of the datasets read. */
  @Column({ type: 'text', array: true })
  datasets!: string[];

  /** Identifiers of the sources that ran a statement. */
  @Column({ type: 'text', array: true })
  sources!: string[];

  /** The statements pushed down to the sources, with their bound parameters and row counts. */
  @Column({ name: 'pushed_down', type: 'jsonb' })
  pushedDown!: JsonRecord[];

  /** Rows returned to the caller (for joins: table rows plus series points). */
  @Column({ name: 'row_count', type: 'integer' })
  rowCount!: number;

  /** SHA-256 (hex) of the canonical JSON of the returned columns and rows; null when the query failed. */
  @Column({ name: 'result_checksum', type: 'text', nullable: true })
  resultChecksum!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** PROV-O JSON-LD document of the activity. */
  @Column({ type: 'jsonb' })
  prov!: JsonRecord;
}
