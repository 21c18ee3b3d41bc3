import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

import type { JsonRecord } from '../common/json';

/** What a persistent identifier names. */
export type IdentifiedEntityType =
  'catalog' | 'dataset' | 'distribution' | 'data-service' | 'source' | 'activity' | 'data-product';

/**
 * The identifier registry. A row is never deleted or reused: when the thing
 * it names is withdrawn, the row keeps a tombstone so the identifier still
 * resolves and says what it was.
 */
@Entity({ name: 'identifier' })
@Index('identifier_entity_idx', ['entityType', 'entityId'], { unique: true })
export class IdentifierEntity {
  /** Local identifier, including its check character (`w3b7kq2mx9h`). */
  @PrimaryColumn({ name: 'local_id', type: 'text' })
  localId!: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType!: IdentifiedEntityType;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId!: string;

  @CreateDateColumn({ name: 'minted_at', type: 'timestamptz' })
  mintedAt!: Date;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  /** What the identifier named when it was withdrawn: type, title, reason. */
  @Column({ name: 'tombstone', type: 'jsonb', nullable: true })
  tombstone!: JsonRecord | null;
}
