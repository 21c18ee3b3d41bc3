import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Relation } from 'typeorm';

import { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { DataProductEntity } from './data-product.entity';

/** Membership of a dataset in a data product; a dataset may belong to several products. */
@Entity({ name: 'data_product_dataset' })
@Index('data_product_dataset_dataset_idx', ['datasetId'])
export class DataProductMemberEntity {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @PrimaryColumn({ name: 'dataset_id', type: 'uuid' })
  datasetId!: string;

  @ManyToOne(() => DataProductEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<DataProductEntity>;

  @ManyToOne(() => DatasetEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dataset_id' })
  dataset?: Relation<DatasetEntity>;
}
