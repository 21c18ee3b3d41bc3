import { Field, Float, ID, InputType } from '@nestjs/graphql';

import { AccessLevelEnum } from '../types/catalog.types';

@InputType({ description: 'A field the product promises; omitted parts are not promised.' })
export class ContractFieldInput {
  @Field({ description: 'Property name as the harvester records it (temperature, ENERGY.Power).' })
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A member dataset the field belongs to; leave out to apply it to every member.',
  })
  dataset?: string | null;

  @Field(() => String, { nullable: true, description: 'xsd:double, xsd:integer, xsd:string, …' })
  datatype?: string | null;

  @Field(() => String, { nullable: true, description: 'UCUM code: Cel, W, %, [degF].' })
  unit?: string | null;

  @Field(() => Float, { nullable: true })
  minimum?: number | null;

  @Field(() => Float, { nullable: true })
  maximum?: number | null;
}

@InputType()
export class DataContractInput {
  @Field(() => [ContractFieldInput])
  fields!: ContractFieldInput[];

  @Field(() => Float, { nullable: true, description: 'Seconds between two observations.' })
  samplingIntervalSeconds?: number | null;
}

@InputType({ description: 'Limits of the rate and freshness checks; null skips a check.' })
export class QualityRulesInput {
  @Field(() => Float, { nullable: true })
  maxHarvestAgeSeconds?: number | null;

  @Field(() => Float, { nullable: true })
  minMessagesPerMinute?: number | null;

  @Field(() => Float, { nullable: true })
  maxMessagesPerMinute?: number | null;
}

@InputType({
  description:
    'Where contract breach alerts are posted, and where the HMAC secret is read from: give exactly one of secretEnv and secretFile.',
})
export class WebhookInput {
  @Field({ description: 'http or https URL without user name or password.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'Environment variable holding the secret.' })
  secretEnv?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Absolute path of a file holding the secret.',
  })
  secretFile?: string | null;
}

@InputType()
export class CreateDataProductInput {
  @Field({ description: 'Short name: lowercase letters, digits and hyphens (lab-climate).' })
  key!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field({ description: 'Name of the owning team or place.' })
  ownerName!: string;

  @Field({ description: 'team or place.' })
  ownerKind!: string;

  @Field(() => String, { nullable: true, description: 'E-mail address or URL of the owner.' })
  ownerContact?: string | null;

  @Field(() => [ID], { description: 'Identifiers of the member datasets, at most 500.' })
  datasets!: string[];

  @Field(() => DataContractInput, { nullable: true })
  contract?: DataContractInput | null;

  @Field(() => QualityRulesInput, { nullable: true })
  qualityRules?: QualityRulesInput | null;

  @Field(() => AccessLevelEnum, { nullable: true })
  defaultAccessLevel?: AccessLevelEnum | null;

  @Field(() => WebhookInput, { nullable: true })
  webhook?: WebhookInput | null;
}

@InputType({ description: 'Changes to a product: fields left out keep their value, null clears.' })
export class UpdateDataProductInput {
  @Field(() => ID, { description: 'Identifier of the product.' })
  id!: string;

  @Field(() => String, { nullable: true })
  title?: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  ownerName?: string;

  @Field(() => String, { nullable: true })
  ownerKind?: string;

  @Field(() => String, { nullable: true })
  ownerContact?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the member datasets.' })
  datasets?: string[];

  @Field(() => DataContractInput, { nullable: true, description: 'Replaces the contract.' })
  contract?: DataContractInput | null;

  @Field(() => QualityRulesInput, { nullable: true })
  qualityRules?: QualityRulesInput | null;

  @Field(() => AccessLevelEnum, { nullable: true })
  defaultAccessLevel?: AccessLevelEnum | null;

  @Field(() => WebhookInput, { nullable: true, description: 'Null removes the webhook.' })
  webhook?: WebhookInput | null;
}

@InputType()
export class DeleteDataProductInput {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Why the product is deleted; kept in its tombstone.' })
  reason!: string;
}

@InputType()
export class ApplyDataProductAccessLevelInput {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Why; recorded in the history of each dataset that changes.' })
  reason!: string;
}
