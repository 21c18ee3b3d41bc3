import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';

import { DataProductEntity } from './data-product.entity';

/** Kind of contract breach a harvest caused. */
export type BreachKind =
  'field-missing' | 'unit-changed' | 'datatype-changed' | 'dataset-withdrawn';

/** State of the alert's webhook delivery. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'no-webhook';

/**
 * A contract breach found after a harvest run: which product, dataset and
 * field, what the contract expects and what the run found, with the run's
 * identifier as evidence. An alert stays open until a later run finds the
 * field as the contract expects it again.
 */
@Entity({ name: 'data_product_alert' })
@Index('data_product_alert_product_idx', ['productId', 'detectedAt'])
export class DataProductAlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => DataProductEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<DataProductEntity>;

  @Column({ name: 'dataset_pid', type: 'text' })
  datasetPid!: string;

  @Column({ type: 'text' })
  breach!: BreachKind;

  /** The contract field concerned; null for a withdrawn dataset. */
  @Column({ type: 'text', nullable: true })
  field!: string | null;

  @Column({ type: 'text', nullable: true })
  expected!: string | null;

  @Column({ type: 'text', nullable: true })
  actual!: string | null;

  /** Identifier of the harvest run that found the breach. */
  @Column({ name: 'run_pid', type: 'text' })
  runPid!: string;

  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /** Identifier of the harvest run that found the contract kept again. */
  @Column({ name: 'resolved_run_pid', type: 'text', nullable: true })
  resolvedRunPid!: string | null;

  @Column({ name: 'delivery_status', type: 'text' })
  deliveryStatus!: DeliveryStatus;

  @Column({ name: 'delivery_attempts', type: 'integer', default: 0 })
  deliveryAttempts!: number;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** Reason the last delivery attempt failed (HTTP status or network error), without the secret. */
  @Column({ name: 'delivery_error', type: 'text', nullable: true })
  deliveryError!: string | null;
}
