import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { JsonRecord } from '../common/json';

import type { HarvestIssue } from '../harvest/harvest.types';

export type HarvestRunStatus = 'running' | 'succeeded' | 'partial' | 'failed';

/** One harvest of one source, a prov:Activity. Its PROV-O description is kept as JSON-LD. */
@Entity({ name: 'harvest_run' })
@Index('harvest_run_source_started_idx', ['sourceId', 'startedAt'])
export class HarvestRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'pid', type: 'text', unique: true })
  pid!: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId!: string;

  @Column({ type: 'text' })
  status!: HarvestRunStatus;

  /** `schedule`, `demand` (a person or API call), or `retry`. */
  @Column({ name: 'trigger', type: 'text' })
  trigger!: 'schedule' | 'demand' | 'retry' | 'startup';

  /** Who asked for an on-demand run (the token's subject), null for scheduled runs. */
  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy!: string | null;

  @Column({ type: 'text' })
  harvester!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'datasets_created', type: 'integer', default: 0 })
  datasetsCreated!: number;

  @Column({ name: 'datasets_updated', type: 'integer', default: 0 })
  datasetsUpdated!: number;

  @Column({ name: 'datasets_unchanged', type: 'integer', default: 0 })
  datasetsUnchanged!: number;

  @Column({ name: 'datasets_withdrawn', type: 'integer', default: 0 })
  datasetsWithdrawn!: number;

  @Column({ type: 'jsonb' })
  issues!: HarvestIssue[];

  /** Why the run failed, when it did. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Retry number for this source since its last good run (0 for the first try). */
  @Column({ type: 'integer', default: 0 })
  attempt!: number;

  /** PROV-O JSON-LD document of the activity. */
  @Column({ type: 'jsonb' })
  prov!: JsonRecord;
}
