import {
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';

import { AccessLevelEnum } from './catalog.types';

export enum QualityStatusEnum {
  PASS = 'pass',
  WARN = 'warn',
  FAIL = 'fail',
  UNKNOWN = 'unknown',
}
registerEnumType(QualityStatusEnum, {
  name: 'QualityStatus',
  description:
    'Outcome of a quality check: PASS, WARN, FAIL, or UNKNOWN when the harvested metadata cannot tell.',
});

@ObjectType({ description: 'The owning domain of a data product: a team or a place of the site.' })
export class DataProductOwner {
  @Field()
  name!: string;

  @Field({ description: 'team or place.' })
  kind!: string;

  @Field(() => String, { nullable: true, description: 'E-mail address or URL of the owner.' })
  contact!: string | null;
}

@ObjectType({
  description: 'A field a data product promises: name, datatype, UCUM unit and range.',
})
export class ContractField {
  @Field({ description: 'Property name as the harvester records it.' })
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The one member dataset the field belongs to; null when every member has it.',
  })
  dataset!: string | null;

  @Field(() => String, { nullable: true, description: 'xsd:double, xsd:string, …; null for any.' })
  datatype!: string | null;

  @Field(() => String, { nullable: true, description: 'UCUM code; null for any.' })
  unit!: string | null;

  @Field(() => Float, { nullable: true })
  minimum!: number | null;

  @Field(() => Float, { nullable: true })
  maximum!: number | null;
}

@ObjectType({ description: 'What a data product promises about its member datasets.' })
export class DataContract {
  @Field(() => [ContractField])
  fields!: ContractField[];

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds between two observations; null when the source sends irregularly.',
  })
  samplingIntervalSeconds!: number | null;
}

@ObjectType({ description: 'Limits of the rate and freshness checks.' })
export class QualityRules {
  @Field(() => Float, { nullable: true })
  maxHarvestAgeSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  minMessagesPerMinute!: number | null;

  @Field(() => Float, { nullable: true })
  maxMessagesPerMinute!: number | null;
}

@ObjectType({ description: 'One quality check of one member dataset, with its evidence.' })
export class QualityCheck {
  @Field({ description: 'availability, contract, range, rate, gap or freshness.' })
  check!: string;

  @Field(() => ID)
  dataset!: string;

  @Field(() => String, { nullable: true, description: 'Contract field of a range check.' })
  field!: string | null;

  @Field(() => QualityStatusEnum)
  status!: QualityStatusEnum;

  @Field({ description: 'The values compared, in a sentence.' })
  evidence!: string;
}

@ObjectType({
  description: 'Quality of a data product, computed from harvested metadata when asked.',
})
export class DataProductQuality {
  @Field(() => QualityStatusEnum, {
    description:
      'Worst status of all checks over all member datasets (FAIL over WARN over UNKNOWN over PASS); UNKNOWN without checks.',
  })
  status!: QualityStatusEnum;

  @Field(() => GraphQLISODateTime)
  evaluatedAt!: Date;

  @Field(() => [QualityCheck], {
    description: 'Checks of the member datasets the viewer may read.',
  })
  checks!: QualityCheck[];
}

@ObjectType({
  description:
    'A contract breach found after a harvest run. Stewards only: alerts name datasets and fields.',
})
export class DataProductAlert {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'Identifier of the data product.' })
  product!: string;

  @Field(() => ID, { description: 'Identifier of the dataset that broke the contract.' })
  dataset!: string;

  @Field({ description: 'field-missing, unit-changed, datatype-changed or dataset-withdrawn.' })
  breach!: string;

  @Field(() => String, { nullable: true })
  field!: string | null;

  @Field(() => String, { nullable: true })
  expected!: string | null;

  @Field(() => String, { nullable: true })
  actual!: string | null;

  @Field(() => ID, { description: 'Identifier of the harvest run that found the breach.' })
  run!: string;

  @Field(() => GraphQLISODateTime)
  detectedAt!: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When a later run found the contract kept again; null while open.',
  })
  resolvedAt!: Date | null;

  @Field(() => ID, { nullable: true })
  resolvedRun!: string | null;

  @Field({ description: 'pending, delivered, failed or no-webhook.' })
  deliveryStatus!: string;

  @Field(() => Int)
  deliveryAttempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the last delivery attempt failed.' })
  deliveryError!: string | null;
}

@ObjectType({
  description:
    'A data product: datasets grouped under an owning domain, with a contract, quality checks and an access policy.',
})
export class DataProduct {
  @Field(() => ID, { description: 'Persistent identifier; resolves at landingPage.' })
  id!: string;

  @Field({ description: 'Landing page (HTML, JSON-LD with DPROD terms, Turtle).' })
  landingPage!: string;

  @Field({ description: "The steward's short name, unique among products." })
  key!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DataProductOwner)
  owner!: DataProductOwner;

  @Field(() => DataContract)
  contract!: DataContract;

  @Field(() => QualityRules)
  qualityRules!: QualityRules;

  @Field(() => AccessLevelEnum, {
    nullable: true,
    description:
      'Access level proposed for member datasets; applied only by applyDataProductAccessLevel.',
  })
  defaultAccessLevel!: AccessLevelEnum | null;

  @Field({ description: 'active, or deleted (the identifier then resolves to a tombstone).' })
  status!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;

  internalId!: string;
  /** Shown through the webhookUrl field to stewards only. */
  webhookUrlValue!: string | null;
}
