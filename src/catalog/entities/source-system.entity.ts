import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import type { JsonRecord } from '../../common/json';

import type { SourceKind } from '../../harvest/harvest.types';

/**
 * Kind of the built-in source that contains derived datasets (query results
 * saved as datasets). It is never harvested, so harvests never withdraw
 * its datasets.
 */
export const DERIVED_SOURCE_KIND = 'weft-derived';

/** Source key of that built-in source; no configured source may take it. */
export const DERIVED_SOURCE_KEY = 'weft-derived';

/** Kinds of catalog sources: the harvested kinds and the built-in source of derived datasets. */
export type CatalogSourceKind = SourceKind | typeof DERIVED_SOURCE_KIND;

/** A system of the site that Weft harvests: a broker, an OPC UA server, an InfluxDB. */
@Entity({ name: 'source_system' })
export class SourceSystemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The site's own id for the source (`site-broker`), unique and stable. */
  @Column({ name: 'source_key', type: 'text', unique: true })
  sourceKey!: string;

  @Column({ name: 'pid', type: 'text', unique: true })
  pid!: string;

  @Column({ type: 'text' })
  kind!: CatalogSourceKind;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', nullable: true })
  place!: string | null;

  /** Endpoint without credentials (`mqtts://broker:8883`). */
  @Column({ name: 'endpoint_url', type: 'text', nullable: true })
  endpointUrl!: string | null;

  /** The source's configuration with secrets replaced by references. */
  @Column({ type: 'jsonb' })
  config!: JsonRecord;

  /** Facts the last harvest learnt about the source (server version, namespaces). */
  @Column({ type: 'jsonb' })
  details!: JsonRecord;

  /** `configured` by a file or an admin, or `removed` when no longer configured. */
  @Column({ type: 'text', default: 'active' })
  status!: 'active' | 'removed';

  @Column({ name: 'last_harvest_at', type: 'timestamptz', nullable: true })
  lastHarvestAt!: Date | null;

  @Column({ name: 'last_harvest_status', type: 'text', nullable: true })
  lastHarvestStatus!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
