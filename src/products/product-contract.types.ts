import type { AccessLevel } from '../catalog/entities/dataset.entity';
import type { ValueDatatype } from '../harvest/harvest.types';

/**
 * One field a data product promises: a property of its member datasets with
 * the datatype, UCUM unit and value range consumers may rely on.
 */
export interface ContractField {
  /** Property name as the harvester records it (`temperature`, `ENERGY.Power`, an InfluxDB field key). */
  name: string;
  /** Identifier of the one member dataset the field belongs to; null when every member dataset has it. */
  dataset: string | null;
  datatype: ValueDatatype | null;
  /** UCUM code (`Cel`, `W`, `%`). */
  unit: string | null;
  /** Lowest and highest value the product promises, checked against the observed range. */
  minimum: number | null;
  maximum: number | null;
}

/** Promise a data product makes its consumers about its member datasets. */
export interface ProductContract {
  fields: ContractField[];
  /** Seconds between two observations the source is expected to send; null when irregular. */
  samplingIntervalSeconds: number | null;
}

/** Limits of the quality checks that the contract does not imply. */
export interface QualityRules {
  /** Age of the last harvest of a member dataset, in seconds, above which the data is stale. */
  maxHarvestAgeSeconds: number | null;
  /** Message or point rate, per minute, below which a member dataset fails the rate check. */
  minMessagesPerMinute: number | null;
  /** Rate, per minute, above which a member dataset gets a warning. */
  maxMessagesPerMinute: number | null;
}

/** Kind of a data product's owning domain: a team, or a place of the site (a room, a line). */
export type OwnerKind = 'team' | 'place';

/** Webhook target for contract breaches, with a reference to its secret, never the value. */
export interface WebhookTarget {
  url: string;
  secret: { env: string } | { file: string };
}

/** The access level a product proposes for its member datasets; applied only on a steward's request. */
export type ProductAccessLevel = AccessLevel;
