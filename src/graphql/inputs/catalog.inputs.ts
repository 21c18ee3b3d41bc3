import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';

import { AccessLevelEnum } from '../types/catalog.types';

@InputType({
  description: 'What to search for; lists are OR within a field and AND across fields.',
})
export class DatasetSearchInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Words that must all occur (as prefixes) in title, description, keywords, topic, place, device or property names.',
  })
  text?: string;

  @Field(() => [String], { nullable: true, description: 'Source ids.' })
  sources?: string[];

  @Field(() => [String], { nullable: true })
  places?: string[];

  @Field(() => [String], { nullable: true, description: 'UCUM codes, e.g. Cel, W, kW.h.' })
  units?: string[];

  @Field(() => [String], { nullable: true, description: 'QUDT quantity kinds, e.g. Temperature.' })
  quantityKinds?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Licence ids; "none" matches datasets without a licence.',
  })
  licences?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'mqtt-topic, opcua-node-group, influx-measurement.',
  })
  kinds?: string[];

  @Field(() => [AccessLevelEnum], { nullable: true })
  accessLevels?: AccessLevelEnum[];

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Only datasets with data at or after this time.',
  })
  coverageFrom?: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Only datasets with data at or before this time.',
  })
  coverageTo?: Date;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Include withdrawn datasets.',
  })
  includeWithdrawn?: boolean;
}

@InputType({ description: 'A duty of a custom licence.' })
export class LicenceDutyInput {
  @Field({ description: 'odrl:attribute, cc:Notice or cc:ShareAlike.' })
  action!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'For cc:ShareAlike: the licence derived data must carry; the licence itself when omitted.',
  })
  licence?: string;
}

@InputType({
  description:
    'The ODRL rules of a custom licence. Give all three lists; an empty list says there are none.',
})
export class LicencePolicyInput {
  @Field(() => [String], {
    nullable: true,
    description:
      'Permitted actions: odrl:use, odrl:reproduce, odrl:distribute, odrl:derive, odrl:commercialize. At least one.',
  })
  permissions?: string[];

  @Field(() => [LicenceDutyInput], { nullable: true, description: 'Duties of the permissions.' })
  duties?: LicenceDutyInput[];

  @Field(() => [String], { nullable: true, description: 'Prohibited actions.' })
  prohibitions?: string[];
}

@InputType({ description: 'A custom licence, defined with its full text.' })
export class CustomLicenceInput {
  @Field({
    description:
      'LicenseRef-<name>, following the SPDX convention for licences outside the SPDX list.',
  })
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Full licence text.' })
  text!: string;

  @Field(() => String, { nullable: true })
  url?: string;

  @Field(() => LicencePolicyInput, {
    nullable: true,
    description:
      'The ODRL rules of the licence. Required: a custom licence without it is rejected with the missing part named.',
  })
  policy?: LicencePolicyInput;
}

@InputType({ description: 'Assign a licence and rights holder to a dataset (stewards only).' })
export class AssignLicenceInput {
  @Field({ description: 'Persistent identifier of the dataset.' })
  datasetId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'SPDX identifier of a known licence; give this or custom.',
  })
  licenceId?: string;

  @Field(() => CustomLicenceInput, {
    nullable: true,
    description: 'A custom licence; give this or licenceId.',
  })
  custom?: CustomLicenceInput;

  @Field(() => String, {
    nullable: true,
    description: 'Rights holder (dct:rightsHolder); unchanged when omitted.',
  })
  rightsHolder?: string;

  @Field({ description: 'Why the licence is assigned; kept in the dataset history.' })
  reason!: string;
}

@InputType({
  description:
    "Change a dataset's access policy: who may read it and when its data opens (stewards and admins only).",
})
export class SetAccessLevelInput {
  @Field({ description: 'Persistent identifier of the dataset.' })
  datasetId!: string;

  @Field(() => AccessLevelEnum)
  accessLevel!: AccessLevelEnum;

  @Field(() => [String], {
    nullable: true,
    description:
      'Realm roles whose holders may also read a RESTRICTED dataset. Omitted: kept while the level stays RESTRICTED, else cleared. null or []: cleared. Only RESTRICTED datasets may name roles.',
  })
  accessRoles?: string[] | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'Until this time only stewards and admins may read the data; the metadata follows the access level. Omitted: the current embargo stays. null: the embargo is lifted. Must be in the future.',
  })
  embargoUntil?: Date | null;

  @Field({ description: 'Why the policy changes; kept in the dataset history.' })
  reason!: string;
}

@InputType({ description: 'Harvest one source now (admins only).' })
export class HarvestSourceInput {
  @Field({ description: "The source's id (its key in the sources file)." })
  source!: string;
}

@InputType({
  description:
    'Create or replace a source (admins only). Secrets are referenced by file or environment variable, never given in clear.',
})
export class UpsertSourceInput {
  @Field(() => String, {
    description:
      'The source configuration as JSON, in the same shape as one entry of the sources file.',
  })
  configJson!: string;
}

@InputType({
  description: 'Stop harvesting a source (admins only); its datasets and identifiers stay.',
})
export class RemoveSourceInput {
  @Field()
  source!: string;
}

@InputType({
  description:
    'Withdraw a dataset (stewards only): it leaves search results and its identifier answers with a tombstone.',
})
export class WithdrawDatasetInput {
  @Field()
  datasetId!: string;

  @Field()
  reason!: string;
}
