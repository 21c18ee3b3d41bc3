import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { JsonRecord } from '../common/json';

/**
 * One entry of a dataset's history: created, updated, withdrawn by a
 * harvest, or curated by a steward. `activityPid` links to the harvest run
 * or curation that caused it.
 */
@Entity({ name: 'dataset_change' })
@Index('dataset_change_dataset_idx', ['datasetId', 'changedAt'])
export class DatasetChangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'dataset_id', type: 'uuid' })
  datasetId!: string;

  @Column({ name: 'change_type', type: 'text' })
  changeType!: 'created' | 'updated' | 'withdrawn' | 'restored' | 'licence' | 'access' | 'review';

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  /** The account that made the change, or `harvester`. */
  @Column({ name: 'changed_by', type: 'text' })
  changedBy!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Field-level differences: `{ field: { from, to } }`. */
  @Column({ type: 'jsonb' })
  changes!: JsonRecord;

  @Column({ name: 'activity_pid', type: 'text', nullable: true })
  activityPid!: string | null;
}
