import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import { hasRole, type Viewer } from './viewer';

/** The fields of a dataset that decide who may read it. */
export type AccessControlled = Pick<DatasetEntity, 'accessLevel' | 'accessRoles' | 'embargoUntil'>;

/**
 * Whether `viewer` may read the metadata of `dataset` at `now`. Every path
 * that hands out a dataset's description (GraphQL, landing pages, linked
 * data, FAIR assessment) calls this function, and every path that lists
 * datasets in SQL uses {@link readableDatasetSql}, which a test keeps in
 * step with it. Stewards and admins read everything. Anonymous viewers read
 * public datasets, and researchers site datasets as well. Holders of a realm
 * role that a restricted dataset names may read that dataset. An embargo hides data, not
 * metadata, so `now` does not change the outcome here.
 */
export function mayReadDataset(
  viewer: Viewer,
  dataset: AccessControlled,
  now: Date = new Date(),
): boolean {
  void now;
  if (isCurator(viewer)) {
    return true;
  }
  switch (dataset.accessLevel) {
    case 'public':
      return true;
    case 'site':
      return hasRole(viewer, 'researcher');
    case 'restricted':
      return holdsNamedRole(viewer, dataset);
    default: {
      const unknownLevel: never = dataset.accessLevel;
      throw new Error(`unknown access level ${String(unknownLevel)}`);
    }
  }
}

/**
 * Whether `viewer` may read the data behind `dataset` (queries, joins,
 * exports) at `now`: the metadata rule, and no embargo running at `now`.
 * Stewards and admins are exempt from embargoes. An embargo ends by itself
 * when `now` reaches `embargoUntil`.
 */
export function mayReadData(
  viewer: Viewer,
  dataset: AccessControlled,
  now: Date = new Date(),
): boolean {
  return mayReadDataset(viewer, dataset, now) && embargoFor(viewer, dataset, now) === null;
}

/**
 * The end of the embargo that keeps the data of `dataset` from `viewer` at
 * `now`, or null when no embargo applies. Callers name this time in the
 * error they raise.
 */
export function embargoFor(viewer: Viewer, dataset: AccessControlled, now: Date): Date | null {
  if (dataset.embargoUntil === null || isCurator(viewer)) {
    return null;
  }
  return now.getTime() < dataset.embargoUntil.getTime() ? dataset.embargoUntil : null;
}

/** Whether a dataset's data is under embargo at `now` for viewers without a curator role. */
export function isEmbargoed(dataset: AccessControlled, now: Date = new Date()): boolean {
  return dataset.embargoUntil !== null && now.getTime() < dataset.embargoUntil.getTime();
}

/** The roles that may read a dataset's metadata, in words, for error messages. */
export function describeReaders(dataset: AccessControlled): string {
  switch (dataset.accessLevel) {
    case 'public':
      return 'anyone';
    case 'site':
      return 'the researcher, steward or admin role';
    case 'restricted':
      return dataset.accessRoles.length === 0
        ? 'the steward or admin role'
        : `the steward or admin role, or one of the realm roles ${dataset.accessRoles.join(', ')}`;
    default: {
      const unknownLevel: never = dataset.accessLevel;
      throw new Error(`unknown access level ${String(unknownLevel)}`);
    }
  }
}

/**
 * The SQL condition that matches the datasets whose metadata `viewer` may
 * read, the same rule as {@link mayReadDataset}. `alias` names the dataset
 * table in the query. `bind` adds a parameter and returns its placeholder,
 * so the condition works with TypeORM's named parameters and with `$n`.
 */
export function readableDatasetSql(
  viewer: Viewer,
  alias: string,
  bind: (value: string[]) => string,
): string {
  if (isCurator(viewer)) {
    return 'TRUE';
  }
  const clauses = [`${alias}.access_level = 'public'`];
  if (hasRole(viewer, 'researcher')) {
    clauses.push(`${alias}.access_level = 'site'`);
  }
  if (viewer.realmRoles.length > 0) {
    clauses.push(
      `(${alias}.access_level = 'restricted' AND ${alias}.access_roles && CAST(${bind(viewer.realmRoles)} AS text[]))`,
    );
  }
  return `(${clauses.join(' OR ')})`;
}

/** Stewards and admins read every dataset and its data, embargoes included. */
function isCurator(viewer: Viewer): boolean {
  return hasRole(viewer, 'steward');
}

function holdsNamedRole(viewer: Viewer, dataset: AccessControlled): boolean {
  return dataset.accessRoles.some((role) => viewer.realmRoles.includes(role));
}
