import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A dcat:DataService: an endpoint that serves data, such as a source's broker or Weft's own GraphQL API. */
@Entity({ name: 'data_service' })
export class DataServiceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'pid', type: 'text', unique: true })
  pid!: string;

  /** The source the service belongs to; null for Weft's own services. */
  @Column({ name: 'source_id', type: 'uuid', nullable: true, unique: true })
  sourceId!: string | null;

  /** Stable key for Weft's own services (`weft-graphql`), null for source endpoints. */
  @Column({ name: 'service_key', type: 'text', nullable: true, unique: true })
  serviceKey!: string | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'endpoint_url', type: 'text' })
  endpointUrl!: string;

  /** Specification the endpoint conforms to (MQTT 5, OPC UA, InfluxDB v1 API). */
  @Column({ name: 'conforms_to', type: 'text', nullable: true })
  conformsTo!: string | null;

  @Column({ name: 'endpoint_description', type: 'text', nullable: true })
  endpointDescription!: string | null;
}
