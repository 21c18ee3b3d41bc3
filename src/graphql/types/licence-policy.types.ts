import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A duty an ODRL policy attaches to its permissions.' })
export class LicenceDuty {
  @Field({ description: 'odrl:attribute, cc:Notice or cc:ShareAlike.' })
  action!: string;

  @Field(() => String, {
    nullable: true,
    description: 'For cc:ShareAlike: the licence derived data must carry; null for other duties.',
  })
  licence!: string | null;

  @Field({ description: 'The duty in plain words, completing "you must …".' })
  description!: string;
}

@ObjectType({
  description:
    'The rules of a licence as an ODRL 2.2 policy (odrl:Set): what it permits, what it requires in return and what it prohibits.',
})
export class LicencePolicy {
  @Field({ description: 'IRI of the policy, the licence URL or a Weft IRI for custom licences.' })
  uid!: string;

  @Field(() => [String], {
    description:
      'Permitted actions: odrl:use, odrl:reproduce, odrl:distribute, odrl:derive, odrl:commercialize.',
  })
  permissions!: string[];

  @Field(() => [LicenceDuty], { description: 'Duties that come with every permission.' })
  duties!: LicenceDuty[];

  @Field(() => [String], { description: 'Prohibited actions.' })
  prohibitions!: string[];

  @Field({ description: 'The policy in plain words, as the landing page shows it.' })
  summary!: string;
}

@ObjectType({ description: 'Whether a licence allows an action, and why.' })
export class LicenceActionCheck {
  @Field({ description: 'The licence checked.' })
  licence!: string;

  @Field({ description: 'The action as an ODRL term.' })
  action!: string;

  @Field()
  allowed!: boolean;

  @Field({
    description: 'Why the action is refused, or the conditions under which it is allowed.',
  })
  reason!: string;

  @Field(() => [LicenceDuty], { description: 'Duties to fulfil; empty when refused.' })
  duties!: LicenceDuty[];
}
