import { Args, ID, Query, Resolver } from '@nestjs/graphql';

import { LicencesService } from '../../licences/licences.service';
import { toLicenceDuty } from '../mappers';
import { LicenceActionCheck } from '../types/licence-policy.types';

/** Licence questions from reusers. Thin: the rules live in the licence policies. */
@Resolver(() => LicenceActionCheck)
export class LicenceResolver {
  constructor(private readonly licences: LicencesService) {}

  @Query(() => LicenceActionCheck, {
    description:
      'Whether a licence allows an action, with the reason when it does not and the duties when it does. ' +
      'Actions are ODRL terms (odrl:use, odrl:reproduce, odrl:distribute, odrl:derive, odrl:commercialize) ' +
      'or the words use, query, read, reproduce, export, copy, distribute, share, publish, derive, combine, commercialize, commercial-use. ' +
      'Anyone may ask; errors NOT_FOUND for an unknown licence and BAD_USER_INPUT for an unknown action.',
  })
  async licenceAllows(
    @Args('licence', { type: () => ID, description: 'SPDX identifier or LicenseRef-….' })
    licence: string,
    @Args('action') action: string,
  ): Promise<LicenceActionCheck> {
    const check = await this.licences.allows(licence, action);
    return {
      licence,
      action: check.action,
      allowed: check.allowed,
      reason: check.reason,
      duties: check.duties.map(toLicenceDuty),
    };
  }
}
