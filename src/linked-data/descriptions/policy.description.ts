import type { LicenceEntity } from '../../licences/licence.entity';
import { policyInWords } from '../../licences/licence-combination';
import { dutyInWords, licencePolicyIri } from '../../licences/odrl-policy';
import type { LicenceDuty } from '../../licences/odrl-policy';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import { licenceIri } from './rdf-terms';

/**
 * Describe a licence's rules as an ODRL 2.2 policy (odrl:Set): one
 * odrl:Permission per permitted action, each carrying the licence's duties
 * as odrl:duty, and one odrl:Prohibition per prohibited action. A
 * share-alike duty names the licence derived data must carry with
 * dct:license. Null when the licence has no policy.
 */
export function describeLicencePolicy(licence: LicenceEntity): JsonLdNode | null {
  if (licence.policy === null) {
    return null;
  }
  const policy = licence.policy;
  const duties = policy.duties.map(dutyNode);
  const licenceRef = licenceIri(licence);
  return {
    '@id': licencePolicyIri(licence.id),
    '@type': 'odrl:Set',
    'rdfs:label': `Rules of ${licence.id}`,
    'rdfs:comment': policyInWords(policy),
    ...(licenceRef === undefined ? {} : { 'dct:source': { '@id': licenceRef } }),
    'odrl:permission': policy.permissions.map((action) => ({
      '@type': 'odrl:Permission',
      'odrl:action': { '@id': action },
      ...(duties.length === 0 ? {} : { 'odrl:duty': duties }),
    })),
    ...(policy.prohibitions.length === 0
      ? {}
      : {
          'odrl:prohibition': policy.prohibitions.map((action) => ({
            '@type': 'odrl:Prohibition',
            'odrl:action': { '@id': action },
          })),
        }),
  };
}

function dutyNode(duty: LicenceDuty): JsonLdNode {
  return {
    '@type': 'odrl:Duty',
    'odrl:action': { '@id': duty.action },
    'rdfs:label': dutyInWords(duty),
    ...(duty.licence === undefined ? {} : { 'dct:license': shareAlikeLicence(duty.licence) }),
  };
}

/** Describe the licence a share-alike duty requires: its SPDX page, or a node with the id of a custom licence. */
function shareAlikeLicence(licenceId: string): JsonLdNode {
  if (licenceId.startsWith('LicenseRef-')) {
    return { '@type': 'dct:LicenseDocument', 'dct:identifier': licenceId };
  }
  return {
    '@id': `https://spdx.org/licenses/${encodeURIComponent(licenceId)}`,
    '@type': 'dct:LicenseDocument',
  };
}
