import {
  describeReaders,
  embargoFor,
  mayReadData,
  mayReadDataset,
  readableDatasetSql,
} from './dataset-access';
import type { AccessControlled } from './dataset-access';
import { ANONYMOUS } from './viewer';
import type { Viewer } from './viewer';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const LATER = new Date('2026-09-01T00:00:00.000Z');
const EARLIER = new Date('2026-03-01T00:00:00.000Z');

const researcher: Viewer = {
  subject: 'r',
  username: 'r',
  roles: ['researcher'],
  realmRoles: ['researcher', 'offline_access'],
};
const projectMember: Viewer = {
  subject: 'p',
  username: 'p',
  roles: [],
  realmRoles: ['project-alpha', 'offline_access'],
};
const steward: Viewer = {
  subject: 's',
  username: 's',
  roles: ['steward'],
  realmRoles: ['steward'],
};
const admin: Viewer = { subject: 'a', username: 'a', roles: ['admin'], realmRoles: ['admin'] };

function dataset(
  accessLevel: AccessControlled['accessLevel'],
  accessRoles: string[] = [],
  embargoUntil: Date | null = null,
): AccessControlled {
  return { accessLevel, accessRoles, embargoUntil };
}

describe('mayReadDataset', () => {
  const cases: Array<[string, AccessControlled, Viewer, boolean]> = [
    ['public, anonymous', dataset('public'), ANONYMOUS, true],
    ['site, anonymous', dataset('site'), ANONYMOUS, false],
    ['site, researcher', dataset('site'), researcher, true],
    ['site, project member', dataset('site'), projectMember, false],
    ['restricted, researcher', dataset('restricted'), researcher, false],
    ['restricted, steward', dataset('restricted'), steward, true],
    ['restricted, admin', dataset('restricted'), admin, true],
    ['role-restricted, member', dataset('restricted', ['project-alpha']), projectMember, true],
    ['role-restricted, researcher', dataset('restricted', ['project-alpha']), researcher, false],
    ['role-restricted, anonymous', dataset('restricted', ['project-alpha']), ANONYMOUS, false],
    ['other role, member', dataset('restricted', ['project-beta']), projectMember, false],
    ['embargoed public, anonymous', dataset('public', [], LATER), ANONYMOUS, true],
  ];
  it.each(cases)('%s', (_name, target, viewer, expected) => {
    expect(mayReadDataset(viewer, target, NOW)).toBe(expected);
  });
});

describe('mayReadData', () => {
  const cases: Array<[string, AccessControlled, Viewer, boolean]> = [
    ['public, anonymous', dataset('public'), ANONYMOUS, true],
    ['embargo running, anonymous', dataset('public', [], LATER), ANONYMOUS, false],
    ['embargo running, researcher', dataset('site', [], LATER), researcher, false],
    ['embargo running, steward', dataset('site', [], LATER), steward, true],
    ['embargo running, admin', dataset('restricted', [], LATER), admin, true],
    [
      'embargo running, member',
      dataset('restricted', ['project-alpha'], LATER),
      projectMember,
      false,
    ],
    ['embargo over, anonymous', dataset('public', [], EARLIER), ANONYMOUS, true],
    ['embargo over, site anonymous', dataset('site', [], EARLIER), ANONYMOUS, false],
  ];
  it.each(cases)('%s', (_name, target, viewer, expected) => {
    expect(mayReadData(viewer, target, NOW)).toBe(expected);
  });

  it('opens at the embargo time itself', () => {
    const target = dataset('public', [], LATER);
    expect(mayReadData(ANONYMOUS, target, new Date(LATER.getTime() - 1))).toBe(false);
    expect(mayReadData(ANONYMOUS, target, LATER)).toBe(true);
  });
});

describe('embargoFor', () => {
  it('names the end of a running embargo', () => {
    expect(embargoFor(researcher, dataset('site', [], LATER), NOW)).toEqual(LATER);
  });

  it('exempts stewards', () => {
    expect(embargoFor(steward, dataset('site', [], LATER), NOW)).toBeNull();
  });

  it('ignores a past embargo', () => {
    expect(embargoFor(researcher, dataset('site', [], EARLIER), NOW)).toBeNull();
  });
});

describe('describeReaders', () => {
  it('names the roles of a role-restricted dataset', () => {
    expect(describeReaders(dataset('restricted', ['project-alpha', 'project-beta']))).toBe(
      'the steward or admin role, or one of the realm roles project-alpha, project-beta',
    );
  });
});

describe('readableDatasetSql', () => {
  it('binds the realm roles of a signed-in viewer', () => {
    const bound: string[][] = [];
    const sql = readableDatasetSql(projectMember, 'd', (value) => {
      bound.push(value);
      return '$1';
    });
    expect(sql).toBe(
      "(d.access_level = 'public' OR (d.access_level = 'restricted' AND d.access_roles && CAST($1 AS text[])))",
    );
    expect(bound).toEqual([['project-alpha', 'offline_access']]);
  });

  it('matches everything for stewards', () => {
    expect(readableDatasetSql(steward, 'd', () => '$1')).toBe('TRUE');
  });

  it('matches public datasets for anonymous viewers', () => {
    expect(readableDatasetSql(ANONYMOUS, 'dataset', () => '$1')).toBe(
      "(dataset.access_level = 'public')",
    );
  });
});
