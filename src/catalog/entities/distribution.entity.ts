import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';

import { DatasetEntity } from './dataset.entity';

/** A dcat:Distribution: one way to get a dataset's data. */
@Entity({ name: 'distribution' })
@Index('distribution_dataset_key_idx', ['datasetId', 'key'], { unique: true })
export class DistributionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'pid', type: 'text', unique: true })
  pid!: string;

  @Column({ name: 'dataset_id', type: 'uuid' })
  datasetId!: string;

  @ManyToOne(() => DatasetEntity, (dataset) => dataset.distributions, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dataset_id' })
  dataset?: Relation<DatasetEntity>;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'access_url', type: 'text' })
  accessUrl!: string;

  @Column({ name: 'media_type', type: 'text', nullable: true })
  mediaType!: string | null;

  @Column({ type: 'text', nullable: true })
  format!: string | null;

  @Column({ name: 'access_query', type: 'text', nullable: true })
  accessQuery!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'data_service_id', type: 'uuid', nullable: true })
  dataServiceId!: string | null;

  @Column({ type: 'text', default: 'active' })
  status!: 'active' | 'withdrawn';
}
