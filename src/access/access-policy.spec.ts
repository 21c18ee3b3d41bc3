import { AccessPolicyError } from './access-policy.error';
import { nextPolicy, policyChanges } from './access-policy';
import type { AccessPolicy } from './access-policy';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const LATER = new Date('2026-09-01T00:00:00.000Z');

const restricted: AccessPolicy = {
  accessLevel: 'restricted',
  accessRoles: ['project-alpha'],
  embargoUntil: LATER,
};

describe('nextPolicy', () => {
  it('keeps roles and embargo when omitted', () => {
    expect(nextPolicy(restricted, { accessLevel: 'restricted' }, NOW)).toEqual(restricted);
  });

  it('clears roles when the level leaves restricted', () => {
    expect(nextPolicy(restricted, { accessLevel: 'site' }, NOW)).toEqual({
      accessLevel: 'site',
      accessRoles: [],
      embargoUntil: LATER,
    });
  });

  it('lifts the embargo on null', () => {
    expect(nextPolicy(restricted, { accessLevel: 'restricted', embargoUntil: null }, NOW)).toEqual({
      ...restricted,
      embargoUntil: null,
    });
  });

  it('sorts and deduplicates roles', () => {
    const policy = nextPolicy(
      restricted,
      { accessLevel: 'restricted', accessRoles: ['b-team', 'a-team', 'b-team'] },
      NOW,
    );
    expect(policy.accessRoles).toEqual(['a-team', 'b-team']);
  });

  it('rejects roles on a public dataset', () => {
    expect(() =>
      nextPolicy(restricted, { accessLevel: 'public', accessRoles: ['project-alpha'] }, NOW),
    ).toThrow(
      new AccessPolicyError(
        'INVALID',
        'accessRoles [project-alpha] apply only to RESTRICTED datasets, but accessLevel is PUBLIC: set accessLevel to RESTRICTED, or send accessRoles: []',
      ),
    );
  });

  it('rejects a role name with a space', () => {
    expect(() =>
      nextPolicy(restricted, { accessLevel: 'restricted', accessRoles: ['project alpha'] }, NOW),
    ).toThrow(
      'access role "project alpha" is not a valid realm role name: use letters, digits and _ . : @ - (up to 100 characters), as the role is named in Keycloak',
    );
  });

  it('rejects an embargo in the past', () => {
    expect(() =>
      nextPolicy(
        restricted,
        { accessLevel: 'site', embargoUntil: new Date('2026-01-01T00:00:00.000Z') },
        NOW,
      ),
    ).toThrow(
      'embargoUntil 2026-01-01T00:00:00.000Z is not in the future: give a later time, or send embargoUntil: null to lift the embargo',
    );
  });
});

describe('policyChanges', () => {
  it('lists each changed field with from and to', () => {
    expect(
      policyChanges(restricted, { accessLevel: 'site', accessRoles: [], embargoUntil: null }),
    ).toEqual({
      accessLevel: { from: 'restricted', to: 'site' },
      accessRoles: { from: ['project-alpha'], to: [] },
      embargoUntil: { from: '2026-09-01T00:00:00.000Z', to: null },
    });
  });

  it('is empty for the same policy', () => {
    expect(policyChanges(restricted, { ...restricted })).toEqual({});
  });
});
