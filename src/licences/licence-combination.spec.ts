import {
  combineLicences,
  generatedLicence,
  matchLicence,
  policyInWords,
} from './licence-combination';
import type { KnownLicence, LicensedInput } from './licence-combination';
import { checkAction, parseUsageAction, SPDX_POLICIES, validatePolicy } from './odrl-policy';

const KNOWN: KnownLicence[] = Object.entries(SPDX_POLICIES).map(([id, policy]) => ({
  id,
  policy,
}));

function input(datasetPid: string, licenceId: string | null): LicensedInput {
  return {
    datasetPid,
    licence:
      licenceId === null ? null : { id: licenceId, policy: SPDX_POLICIES[licenceId] ?? null },
  };
}

function combine(...licenceIds: string[]) {
  return combineLicences(licenceIds.map((id, index) => input(`ds${index + 1}`, id)));
}

describe('combineLicences', () => {
  it('CC-BY-4.0 with CC0-1.0 keeps attribution', () => {
    const policy = combine('CC-BY-4.0', 'CC0-1.0');

    expect(policy).toEqual({
      permissions: [
        'odrl:use',
        'odrl:reproduce',
        'odrl:distribute',
        'odrl:derive',
        'odrl:commercialize',
      ],
      duties: [{ action: 'odrl:attribute' }],
      prohibitions: [],
    });
    expect(matchLicence(policy, ['CC-BY-4.0', 'CC0-1.0'], KNOWN)).toBe('CC-BY-4.0');
  });

  it('CC-BY-4.0 with CC-BY-SA-4.0 becomes CC-BY-SA-4.0', () => {
    const policy = combine('CC-BY-4.0', 'CC-BY-SA-4.0');

    expect(policy).toEqual({
      permissions: [
        'odrl:use',
        'odrl:reproduce',
        'odrl:distribute',
        'odrl:derive',
        'odrl:commercialize',
      ],
      duties: [{ action: 'odrl:attribute' }, { action: 'cc:ShareAlike', licence: 'CC-BY-SA-4.0' }],
      prohibitions: [],
    });
    expect(matchLicence(policy, ['CC-BY-4.0', 'CC-BY-SA-4.0'], KNOWN)).toBe('CC-BY-SA-4.0');
  });

  it('CC-BY-NC-4.0 with CC-BY-4.0 becomes CC-BY-NC-4.0', () => {
    const policy = combine('CC-BY-NC-4.0', 'CC-BY-4.0');

    expect(policy).toEqual({
      permissions: ['odrl:use', 'odrl:reproduce', 'odrl:distribute', 'odrl:derive'],
      duties: [{ action: 'odrl:attribute' }],
      prohibitions: ['odrl:commercialize'],
    });
    expect(matchLicence(policy, ['CC-BY-NC-4.0', 'CC-BY-4.0'], KNOWN)).toBe('CC-BY-NC-4.0');
  });

  it('CC-BY-NC-4.0 with Apache-2.0 needs a generated licence', () => {
    const policy = combine('CC-BY-NC-4.0', 'Apache-2.0');

    expect(policy).toEqual({
      permissions: ['odrl:use', 'odrl:reproduce', 'odrl:distribute', 'odrl:derive'],
      duties: [{ action: 'odrl:attribute' }, { action: 'cc:Notice' }],
      prohibitions: ['odrl:commercialize'],
    });
    expect(matchLicence(policy, ['CC-BY-NC-4.0', 'Apache-2.0'], KNOWN)).toBeUndefined();

    const generated = generatedLicence(policy, ['CC-BY-NC-4.0', 'Apache-2.0']);
    expect(generated.id).toMatch(/^LicenseRef-weft-combined-[0-9a-f]{12}$/);
    expect(generated.name).toBe('Combination of Apache-2.0 and CC-BY-NC-4.0');
    expect(generated.policy).toEqual(policy);
    expect(generated.text).toBe(
      'This data was derived from data under Apache-2.0, CC-BY-NC-4.0, and these terms honour all of them. ' +
        'You may use the data, make copies of the data, share the data with others and create derived data from it. ' +
        'You must credit the source (attribution) and keep the licence and copyright notices with every copy. ' +
        'You may not use the data commercially.',
    );
    expect(generatedLicence(policy, ['Apache-2.0', 'CC-BY-NC-4.0']).id).toBe(generated.id);
  });

  it('same share-alike licence twice is allowed', () => {
    const policy = combine('CC-BY-SA-4.0', 'CC-BY-SA-4.0');

    expect(matchLicence(policy, ['CC-BY-SA-4.0'], KNOWN)).toBe('CC-BY-SA-4.0');
  });

  it('CC-BY-SA-4.0 with ODbL-1.0 is refused', () => {
    expect(() => combine('CC-BY-SA-4.0', 'ODbL-1.0')).toThrow(
      'the inputs are under different share-alike licences (ds1 under CC-BY-SA-4.0; ds2 under ODbL-1.0): ' +
        'each requires derived data under itself, so they cannot be combined',
    );
  });

  it('CC-BY-ND-4.0 is refused', () => {
    expect(() => combine('CC-BY-4.0', 'CC-BY-ND-4.0')).toThrow(
      'licence CC-BY-ND-4.0 of input dataset ds2 does not permit odrl:derive (no derivatives): leave that dataset out of the query',
    );
  });

  it('CC-BY-SA-4.0 with CC-BY-NC-4.0 is refused', () => {
    expect(() => combine('CC-BY-SA-4.0', 'CC-BY-NC-4.0')).toThrow(
      'input ds1 is under CC-BY-SA-4.0, which requires derived data under CC-BY-SA-4.0, ' +
        'but ds2 under CC-BY-NC-4.0 adds terms CC-BY-SA-4.0 does not have: the combination cannot be released under CC-BY-SA-4.0',
    );
  });

  it('input without licence is refused', () => {
    expect(() => combineLicences([input('ds1', 'CC0-1.0'), input('ds2', null)])).toThrow(
      'input dataset ds2 has no licence, so nothing permits deriving data from it: ask a steward to assign one',
    );
  });

  it('licence without policy is refused', () => {
    expect(() =>
      combineLicences([{ datasetPid: 'ds1', licence: { id: 'LicenseRef-old', policy: null } }]),
    ).toThrow('licence LicenseRef-old of input dataset ds1 has no ODRL policy');
  });
});

describe('checkAction', () => {
  it('permits commercial use under CC-BY-4.0 with attribution', () => {
    const check = checkAction('CC-BY-4.0', SPDX_POLICIES['CC-BY-4.0'], 'odrl:commercialize');

    expect(check.allowed).toBe(true);
    expect(check.reason).toBe(
      'licence CC-BY-4.0 permits odrl:commercialize if you credit the source (attribution)',
    );
    expect(check.duties).toEqual([{ action: 'odrl:attribute' }]);
  });

  it('refuses commercial use under CC-BY-NC-4.0', () => {
    const check = checkAction('CC-BY-NC-4.0', SPDX_POLICIES['CC-BY-NC-4.0'], 'odrl:commercialize');

    expect(check.allowed).toBe(false);
    expect(check.reason).toBe(
      'licence CC-BY-NC-4.0 prohibits odrl:commercialize: you may not use the data commercially',
    );
  });

  it('refuses an action that is not permitted', () => {
    const check = checkAction(
      'LicenseRef-view',
      { permissions: ['odrl:use'], duties: [], prohibitions: [] },
      'odrl:distribute',
    );

    expect(check.allowed).toBe(false);
    expect(check.reason).toBe(
      "licence LicenseRef-view does not permit odrl:distribute: you may not share the data with others without the rights holder's consent",
    );
  });

  it('reads aliases of actions', () => {
    expect(parseUsageAction('export')).toBe('odrl:reproduce');
    expect(parseUsageAction('query')).toBe('odrl:use');
    expect(parseUsageAction('odrl:derive')).toBe('odrl:derive');
    expect(parseUsageAction('sell')).toBeUndefined();
  });
});

describe('validatePolicy', () => {
  it('names a missing part', () => {
    expect(() => validatePolicy('LicenseRef-x', { permissions: ['odrl:use'], duties: [] })).toThrow(
      'custom licence "LicenseRef-x" has no policy.prohibitions: give the list (an empty list when there are none)',
    );
    expect(() => validatePolicy('LicenseRef-x', null)).toThrow(
      'custom licence "LicenseRef-x" has no policy: give policy { permissions, duties, prohibitions }',
    );
  });

  it('rejects unknown actions and contradictions', () => {
    expect(() =>
      validatePolicy('LicenseRef-x', { permissions: ['sell'], duties: [], prohibitions: [] }),
    ).toThrow(
      'custom licence "LicenseRef-x" has an unknown action "sell" at policy.permissions[0]',
    );
    expect(() =>
      validatePolicy('LicenseRef-x', {
        permissions: ['odrl:use', 'odrl:derive'],
        duties: [],
        prohibitions: ['odrl:derive'],
      }),
    ).toThrow('custom licence "LicenseRef-x" both permits and prohibits odrl:derive');
  });

  it('gives share-alike its own licence by default', () => {
    expect(
      validatePolicy('LicenseRef-x', {
        permissions: ['odrl:derive', 'odrl:use'],
        duties: [{ action: 'cc:ShareAlike' }, { action: 'odrl:attribute' }],
        prohibitions: [],
      }),
    ).toEqual({
      permissions: ['odrl:use', 'odrl:derive'],
      duties: [{ action: 'odrl:attribute' }, { action: 'cc:ShareAlike', licence: 'LicenseRef-x' }],
      prohibitions: [],
    });
  });
});

describe('SPDX_POLICIES', () => {
  it('covers every seeded licence', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const seeded = require('../../ontologies/licences/spdx-licences.json') as {
      licences: Array<{ id: string }>;
    };
    expect(seeded.licences.map((licence) => licence.id).sort()).toEqual(
      Object.keys(SPDX_POLICIES).sort(),
    );
  });

  it('describes CC-BY-ND-4.0 in plain words', () => {
    expect(policyInWords(SPDX_POLICIES['CC-BY-ND-4.0'])).toBe(
      'You may use the data, make copies of the data, share the data with others and use the data commercially. ' +
        'You must credit the source (attribution). You may not create derived data from it.',
    );
  });
});
