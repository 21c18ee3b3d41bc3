import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import { readableAccessLevels, type Viewer } from './viewer';

/** The fields of a dataset that decide who may read it. */
export type AccessControlled = Pick<DatasetEntity, 'accessLevel'>;

/**
 * Whether `viewer` may read `dataset` at `now`. Every path that hands out a
 * dataset's metadata or data (GraphQL, landing pages, linked data, exports,
 * queries, joins) asks this function, so a policy change applies everywhere.
 */
export function mayReadDataset(
  viewer: Viewer,
  dataset: AccessControlled,
  now: Date = new Date(),
): boolean {
  void now;
  return readableAccessLevels(viewer).includes(dataset.accessLevel);
}

/**
 * Whether `viewer` may read the data behind `dataset` (queries, joins,
 * exports) at `now`. Stricter than {@link mayReadDataset} where a policy
 * shows the metadata before the data, as an embargo does.
 */
export function mayReadData(
  viewer: Viewer,
  dataset: AccessControlled,
  now: Date = new Date(),
): boolean {
  return mayReadDataset(viewer, dataset, now);
}
