import {
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { GraphQLJSON } from './json.scalar';
import { LicencePolicy } from './licence-policy.types';

export enum AccessLevelEnum {
  PUBLIC = 'public',
  SITE = 'site',
  RESTRICTED = 'restricted',
}
registerEnumType(AccessLevelEnum, {
  name: 'AccessLevel',
  description:
    'Who may read a dataset: PUBLIC everyone, SITE signed-in researchers, RESTRICTED stewards, admins and holders of the realm roles the dataset names.',
});

@ObjectType({ description: 'A licence: an SPDX licence or a custom one with its text.' })
export class Licence {
  @Field(() => ID, {
    description: 'SPDX identifier (CC-BY-4.0) or LicenseRef-… for custom licences.',
  })
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Canonical URL of the licence text; null for custom licences without one.',
  })
  url!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Full text of a custom licence; null for SPDX licences.',
  })
  text!: string | null;

  @Field()
  isCustom!: boolean;

  @Field(() => LicencePolicy, {
    nullable: true,
    description:
      'The ODRL policy of the licence; null only for custom licences created before policies were required.',
  })
  policy!: LicencePolicy | null;
}

@ObjectType({ description: 'Time span a dataset covers (dct:temporal).' })
export class TemporalCoverage {
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Earliest observation seen; null when unknown.',
  })
  start!: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Latest observation seen; null when unknown.',
  })
  end!: Date | null;
}

@ObjectType({
  description:
    'An observable property of a dataset (sosa:ObservableProperty): a payload key, an OPC UA variable, an InfluxDB field.',
})
export class ObservableProperty {
  @Field({ description: 'Path within the dataset: dotted JSON path, browse name or field key.' })
  name!: string;

  @Field(() => String, { nullable: true })
  label!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [String], {
    description:
      'XSD datatypes seen, most frequent first; more than one means the source is inconsistent.',
  })
  datatypes!: string[];

  @Field(() => String, {
    nullable: true,
    description: 'UCUM code of the unit; null when no unit is stated or implied.',
  })
  unit!: string | null;

  @Field(() => String, { nullable: true, description: 'The unit as the source wrote it.' })
  unitSourceText!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'QUDT quantity kind (Temperature, Power, …).',
  })
  quantityKind!: string | null;

  @Field(() => Float, { nullable: true })
  minimum!: number | null;

  @Field(() => Float, { nullable: true })
  maximum!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Number of values observed; null for declared-only properties.',
  })
  observedCount!: number | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      'Values that were not usable as the datatype, counted by kind (nan, numeric-string).',
  })
  anomalies!: Record<string, number> | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Distinct values of an enumeration-like property (at most 20).',
  })
  enumValues!: string[] | null;
}

@ObjectType({ description: "A DCAT distribution: one way to get a dataset's data." })
export class Distribution {
  @Field(() => ID, { description: 'Persistent identifier.' })
  id!: string;

  @Field()
  title!: string;

  @Field({ description: 'dcat:accessURL, without credentials.' })
  accessUrl!: string;

  @Field(() => String, { nullable: true })
  mediaType!: string | null;

  @Field(() => String, { nullable: true })
  format!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Topic filter, InfluxQL or NodeId list that returns the data.',
  })
  accessQuery!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field({ description: 'active, or withdrawn when the source no longer offers it.' })
  status!: string;

  /** Internal: owning dataset id, for field resolvers. */
  datasetId!: string;
}

@ObjectType({ description: 'A DCAT data service: an endpoint that serves data.' })
export class DataService {
  @Field(() => ID, { description: 'Persistent identifier.' })
  id!: string;

  @Field()
  title!: string;

  @Field()
  endpointUrl!: string;

  @Field(() => String, { nullable: true, description: 'Specification the endpoint conforms to.' })
  conformsTo!: string | null;
}

@ObjectType({ description: 'A system of the site that Weft harvests.' })
export class Source {
  @Field(() => ID, { description: 'Persistent identifier.' })
  id!: string;

  @Field({ description: "The site's own id for the source." })
  key!: string;

  @Field({ description: 'mqtt, opcua, opcua-nodeset, influxdb-v1 or influxdb-v2.' })
  kind!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  place!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Endpoint URL without credentials; null for NodeSet files.',
  })
  endpointUrl!: string | null;

  @Field({ description: 'active, or removed when no longer configured.' })
  status!: string;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastHarvestAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'succeeded, partial or failed; null before the first run.',
  })
  lastHarvestStatus!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last run failed; null when it did not.',
  })
  lastError!: string | null;

  @Field(() => GraphQLJSON, {
    description:
      'Facts the last harvest learnt about the source (server version, namespaces, retention).',
  })
  details!: Record<string, unknown>;

  /** Internal database id, for field resolvers. */
  internalId!: string;
}

@ObjectType({ description: 'A problem a harvest run met with one item of a source.' })
export class HarvestIssueType {
  @Field({ description: 'warning or error.' })
  severity!: string;

  @Field({ description: 'Topic, NodeId, measurement or file the issue is about.' })
  subject!: string;

  @Field()
  message!: string;
}

@ObjectType({ description: 'One harvest of one source, recorded as a PROV-O activity.' })
export class HarvestRun {
  @Field(() => ID, { description: 'Persistent identifier of the activity.' })
  id!: string;

  @Field({ description: 'running, succeeded, partial (some items failed) or failed.' })
  status!: string;

  @Field({ description: 'schedule, demand, retry or startup.' })
  trigger!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Account that asked for an on-demand run; null for scheduled runs.',
  })
  requestedBy!: string | null;

  @Field({ description: 'Harvester name and version.' })
  harvester!: string;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Null while the run is in progress.',
  })
  endedAt!: Date | null;

  @Field(() => Int)
  datasetsCreated!: number;

  @Field(() => Int)
  datasetsUpdated!: number;

  @Field(() => Int)
  datasetsUnchanged!: number;

  @Field(() => Int)
  datasetsWithdrawn!: number;

  @Field(() => [HarvestIssueType])
  issues!: HarvestIssueType[];

  @Field(() => String, { nullable: true, description: 'Why the run failed; null when it did not.' })
  error!: string | null;

  @Field(() => Int, { description: 'Retry number since the last good run (0 for a first try).' })
  attempt!: number;

  @Field(() => GraphQLJSON, { description: 'The PROV-O JSON-LD document of the activity.' })
  prov!: Record<string, unknown>;

  /** Internal: source id, for field resolvers. */
  sourceId!: string;
}

@ObjectType({ description: "One entry of a dataset's history." })
export class DatasetChange {
  @Field({ description: 'created, updated, withdrawn, restored, licence, access or review.' })
  changeType!: string;

  @Field(() => GraphQLISODateTime)
  changedAt!: Date;

  @Field({ description: 'Account that made the change, or "harvester".' })
  changedBy!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => GraphQLJSON, { description: 'Field-level differences: { field: { from, to } }.' })
  changes!: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description:
      'Identifier of the harvest run that caused the change; null for curation by a person.',
  })
  activityId!: string | null;
}

@ObjectType({
  description: 'A DCAT dataset: one MQTT topic, OPC UA node group or InfluxDB measurement.',
})
export class Dataset {
  @Field(() => ID, { description: 'Persistent identifier; resolves at landingPage.' })
  id!: string;

  @Field({
    description:
      'URL of the landing page (HTML for people, JSON-LD and Turtle by content negotiation).',
  })
  landingPage!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [String])
  keywords!: string[];

  @Field({ description: 'mqtt-topic, opcua-node-group or influx-measurement.' })
  kind!: string;

  @Field({
    description: 'Topic, NodeId with namespace URI, or database/measurement in its source.',
  })
  naturalKey!: string;

  @Field(() => String, { nullable: true })
  place!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Payload format recognised (zigbee2mqtt, tasmota, shelly-gen2, esphome, homeassistant-discovery, plain).',
  })
  format!: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Device metadata (manufacturer, model, name), when the source carries it.',
  })
  device!: Record<string, unknown> | null;

  @Field(() => TemporalCoverage)
  temporalCoverage!: TemporalCoverage;

  @Field(() => [String], { description: 'UCUM codes of the properties.' })
  units!: string[];

  @Field(() => [String], { description: 'QUDT quantity kinds of the properties.' })
  quantityKinds!: string[];

  @Field(() => String, { nullable: true })
  rightsHolder!: string | null;

  @Field(() => AccessLevelEnum)
  accessLevel!: AccessLevelEnum;

  @Field(() => [String], {
    description:
      'Realm roles whose holders may read this RESTRICTED dataset beside stewards and admins; empty for other levels.',
  })
  accessRoles!: string[];

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'End of the embargo on the data; null when the dataset has none. The embargo ends by itself at this time.',
  })
  embargoUntil!: Date | null;

  @Field({
    description:
      'Whether the data is under embargo now: queries, joins and exports are refused to all but stewards and admins until embargoUntil.',
  })
  dataEmbargoed!: boolean;

  @Field({ description: 'active or withdrawn.' })
  status!: string;

  @Field(() => GraphQLISODateTime, { nullable: true })
  withdrawnAt!: Date | null;

  @Field(() => String, { nullable: true })
  withdrawnReason!: string | null;

  @Field(() => GraphQLISODateTime, {
    description: 'When Weft first catalogued the dataset (dct:issued).',
  })
  issued!: Date;

  @Field(() => GraphQLISODateTime, {
    description: 'When its metadata last changed (dct:modified).',
  })
  modified!: Date;

  @Field(() => GraphQLISODateTime)
  lastHarvestedAt!: Date;

  @Field(() => GraphQLJSON, {
    description:
      'Source-specific facts: retained flag, QoS and rate of a topic; access levels of OPC UA variables; tag keys and retention of a measurement.',
  })
  details!: Record<string, unknown>;

  /** Internal ids, for field resolvers. */
  internalId!: string;
  sourceId!: string;
  licenceId!: string | null;
  /**
   * The catalog row this object was mapped from, read earlier in the same
   * request, so the data fields (observations, rows, joinSeries) check access
   * on it instead of reading it again.
   */
  entity!: DatasetEntity;
}
