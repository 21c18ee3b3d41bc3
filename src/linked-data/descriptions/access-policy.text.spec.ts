import { accessPolicyText } from './access-policy.text';

const NOW = new Date('2026-06-01T00:00:00.000Z');

describe('accessPolicyText', () => {
  it('states a site dataset', () => {
    expect(
      accessPolicyText({ accessLevel: 'site', accessRoles: [], embargoUntil: null }, NOW),
    ).toBe('site: signed-in researchers, stewards and admins may read it');
  });

  it('names the roles and a running embargo', () => {
    expect(
      accessPolicyText(
        {
          accessLevel: 'restricted',
          accessRoles: ['project-alpha', 'project-beta'],
          embargoUntil: new Date('2026-09-01T00:00:00.000Z'),
        },
        NOW,
      ),
    ).toBe(
      'restricted: stewards, admins and holders of the realm role project-alpha or project-beta may read it; its data is under embargo until 2026-09-01T00:00:00.000Z',
    );
  });

  it('omits an embargo that ended', () => {
    expect(
      accessPolicyText(
        {
          accessLevel: 'public',
          accessRoles: [],
          embargoUntil: new Date('2026-01-01T00:00:00.000Z'),
        },
        NOW,
      ),
    ).toBe('public: anyone may read it');
  });
});
