import type { AccessControlled } from '../../auth/dataset-access';

const READERS: Readonly<Record<AccessControlled['accessLevel'], string>> = {
  public: 'public: anyone may read it',
  site: 'site: signed-in researchers, stewards and admins may read it',
  restricted: 'restricted: stewards and admins may read it',
};

/**
 * The access policy of a dataset in one sentence, for landing pages and
 * OAI-PMH records: who may read it and, while an embargo runs, until when
 * its data is held back.
 */
export function accessPolicyText(dataset: AccessControlled, now: Date = new Date()): string {
  const readers =
    dataset.accessLevel === 'restricted' && dataset.accessRoles.length > 0
      ? `restricted: stewards, admins and holders of the realm role ${dataset.accessRoles.join(' or ')} may read it`
      : READERS[dataset.accessLevel];
  if (dataset.embargoUntil === null || dataset.embargoUntil.getTime() <= now.getTime()) {
    return readers;
  }
  return `${readers}; its data is under embargo until ${dataset.embargoUntil.toISOString()}`;
}
