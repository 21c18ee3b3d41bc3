import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Relation } from 'typeorm';

import type { JsonRecord } from '../../common/json';

import type { HarvestedDatasetKind } from '../../harvest/harvest.types';
import { DistributionEntity } from './distribution.entity';
import { ObservablePropertyEntity } from './observable-property.entity';
import { SourceSystemEntity } from './source-system.entity';

/** Kind of a dataset saved from a query result rather than harvested. */
export const DERIVED_DATASET_KIND = 'derived';

/** Kinds of datasets in the catalog: the harvested kinds and derived datasets. */
export type DatasetKind = HarvestedDatasetKind | typeof DERIVED_DATASET_KIND;

/** Who may read a dataset: everyone, signed-in users of the site, or stewards and admins only. */
export type AccessLevel = 'public' | 'site' | 'restricted';

/** A dcat:Dataset: one MQTT topic, OPC UA node group, InfluxDB measurement, PostgreSQL table, or a saved query result. */
@Entity({ name: 'dataset' })
@Index('dataset_source_key_idx', ['sourceId', 'naturalKey'], { unique: true })
@Index('dataset_units_idx', { synchronize: false })
@Index('dataset_search_idx', { synchronize: false })
@Index('dataset_quantity_kinds_idx', { synchronize: false })
@Index('dataset_status_title_idx', { synchronize: false })
@Index('dataset_review_queue_idx', { synchronize: false })
export class DatasetEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'pid', type: 'text', unique: true })
  pid!: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId!: string;

  @ManyToOne(() => SourceSystemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id' })
  source?: Relation<SourceSystemEntity>;

  /** The key the harvester uses for it (topic, NodeId with namespace URI, `db/measurement`). */
  @Column({ name: 'natural_key', type: 'text' })
  naturalKey!: string;

  @Column({ type: 'text' })
  kind!: DatasetKind;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords!: string[];

  @Column({ type: 'text', nullable: true })
  place!: string | null;

  @Column({ type: 'text', nullable: true })
  format!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  device!: JsonRecord | null;

  @Column({ name: 'temporal_start', type: 'timestamptz', nullable: true })
  temporalStart!: Date | null;

  @Column({ name: 'temporal_end', type: 'timestamptz', nullable: true })
  temporalEnd!: Date | null;

  @Column({ type: 'jsonb' })
  details!: JsonRecord;

  /** UCUM codes of the dataset's properties, kept here for faceted search. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  units!: string[];

  @Column({ name: 'quantity_kinds', type: 'text', array: true, default: () => "'{}'" })
  quantityKinds!: string[];

  /** SPDX identifier or `LicenseRef-…` of a custom licence; null until a steward assigns one. */
  @Column({ name: 'licence_id', type: 'text', nullable: true })
  licenceId!: string | null;

  @Column({ name: 'rights_holder', type: 'text', nullable: true })
  rightsHolder!: string | null;

  @Column({ name: 'access_level', type: 'text', default: 'site' })
  accessLevel!: AccessLevel;

  /** Realm roles whose holders may also read a `restricted` dataset, beside stewards and admins. */
  @Column({ name: 'access_roles', type: 'text', array: true, default: () => "'{}'" })
  accessRoles!: string[];

  /** Until this time only stewards and admins may read the data; the metadata follows the access level. */
  @Column({ name: 'embargo_until', type: 'timestamptz', nullable: true })
  embargoUntil!: Date | null;

  /** Fields a steward curated (`description`, `keywords`); harvests leave them as the steward set them. */
  @Column({ name: 'curated_fields', type: 'text', array: true, default: () => "'{}'" })
  curatedFields!: string[];

  /** When a steward last reviewed the dataset; null keeps it in the review queue while metadata is missing. */
  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ name: 'reviewed_by', type: 'text', nullable: true })
  reviewedBy!: string | null;

  @Column({ type: 'text', default: 'active' })
  status!: 'active' | 'withdrawn';

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @Column({ name: 'withdrawn_reason', type: 'text', nullable: true })
  withdrawnReason!: string | null;

  /** Text the search index is built from: title, description, keywords, key, place, device, property names. */
  @Column({ name: 'search_text', type: 'text', default: '' })
  searchText!: string;

  /** Full-text vector of search_text, kept by a database trigger; never written by the application. */
  @Column({
    name: 'search_vector',
    type: 'tsvector',
    nullable: true,
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string | null;

  /** Fingerprint of the harvested metadata, to tell an update from no change. */
  @Column({ name: 'content_hash', type: 'text', default: '' })
  contentHash!: string;

  @Column({ name: 'first_harvested_at', type: 'timestamptz' })
  firstHarvestedAt!: Date;

  @Column({ name: 'last_harvested_at', type: 'timestamptz' })
  lastHarvestedAt!: Date;

  /** When the metadata last changed (dct:modified). */
  @Column({ name: 'modified_at', type: 'timestamptz' })
  modifiedAt!: Date;

  @OneToMany(() => DistributionEntity, (distribution) => distribution.dataset)
  distributions?: Relation<DistributionEntity[]>;

  @OneToMany(() => ObservablePropertyEntity, (property) => property.dataset)
  properties?: Relation<ObservablePropertyEntity[]>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
