import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

import type { LicencePolicy } from './odrl-policy';

/** A licence datasets can carry: an SPDX licence, or a site's custom one with its full text. */
@Entity({ name: 'licence' })
export class LicenceEntity {
  /** SPDX identifier (`CC-BY-4.0`) or `LicenseRef-<name>` for custom licences (SPDX 2.3, annex D). */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Canonical URL of the licence text. */
  @Column({ type: 'text', nullable: true })
  url!: string | null;

  /** Full text, required for custom licences. */
  @Column({ type: 'text', nullable: true })
  text!: string | null;

  /** ODRL 2.2 rules of the licence; null only for custom licences created before policies existed. */
  @Column({ type: 'jsonb', nullable: true })
  policy!: LicencePolicy | null;

  @Column({ name: 'is_custom', type: 'boolean', default: false })
  isCustom!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;
}
