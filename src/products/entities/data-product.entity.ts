import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import type { AccessLevel } from '../../catalog/entities/dataset.entity';
import type { OwnerKind, ProductContract, QualityRules } from '../product-contract.types';

/**
 * A data product: datasets grouped under one owning domain (a team or a
 * place) with a contract, quality rules, a proposed access level and a
 * webhook for contract breaches. Rows are never deleted, so the product's
 * identifier keeps resolving to a tombstone after a steward deletes it.
 */
@Entity({ name: 'data_product' })
@Index('data_product_key_idx', ['key'], { unique: true, where: "status = 'active'" })
export class DataProductEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'pid', type: 'text', unique: true })
  pid!: string;

  /** The steward's short name for the product (`lab-climate`), unique among products that are not deleted. */
  @Column({ name: 'product_key', type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'owner_name', type: 'text' })
  ownerName!: string;

  @Column({ name: 'owner_kind', type: 'text' })
  ownerKind!: OwnerKind;

  /** E-mail address or URL where the owner is reached. */
  @Column({ name: 'owner_contact', type: 'text', nullable: true })
  ownerContact!: string | null;

  @Column({ type: 'jsonb' })
  contract!: ProductContract;

  @Column({ name: 'quality_rules', type: 'jsonb' })
  qualityRules!: QualityRules;

  /** Access level proposed for member datasets; null when the product proposes none. */
  @Column({ name: 'default_access_level', type: 'text', nullable: true })
  defaultAccessLevel!: AccessLevel | null;

  /** http or https URL that receives contract breach alerts; null for no webhook. */
  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  /** Reference to the webhook's HMAC secret (`{"env": "NAME"}` or `{"file": "/path"}`), never the secret itself. */
  @Column({ name: 'webhook_secret_ref', type: 'jsonb', nullable: true })
  webhookSecretRef!: { env: string } | { file: string } | null;

  @Column({ type: 'text', default: 'active' })
  status!: 'active' | 'deleted';

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
