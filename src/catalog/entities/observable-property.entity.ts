import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';

import type { ValueDatatype } from '../../harvest/harvest.types';
import { DatasetEntity } from './dataset.entity';

/** A sosa:ObservableProperty of a dataset: a payload key, an OPC UA variable, an InfluxDB field. */
@Entity({ name: 'observable_property' })
@Index('observable_property_dataset_name_idx', ['datasetId', 'name'], { unique: true })
export class ObservablePropertyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'dataset_id', type: 'uuid' })
  datasetId!: string;

  @ManyToOne(() => DatasetEntity, (dataset) => dataset.properties, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dataset_id' })
  dataset?: Relation<DatasetEntity>;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  label!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  datatypes!: ValueDatatype[];

  /** UCUM code. */
  @Column({ type: 'text', nullable: true })
  unit!: string | null;

  @Column({ name: 'unit_source_text', type: 'text', nullable: true })
  unitSourceText!: string | null;

  /** QUDT quantity kind local name. */
  @Column({ name: 'quantity_kind', type: 'text', nullable: true })
  quantityKind!: string | null;

  @Column({ type: 'double precision', nullable: true })
  minimum!: number | null;

  @Column({ type: 'double precision', nullable: true })
  maximum!: number | null;

  @Column({
    name: 'observed_count',
    type: 'bigint',
    nullable: true,
    transformer: {
      to: (v: number | null) => v,
      from: (v: string | null) => (v === null ? null : Number(v)),
    },
  })
  observedCount!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  anomalies!: Record<string, number> | null;

  @Column({ name: 'enum_values', type: 'text', array: true, nullable: true })
  enumValues!: string[] | null;
}
