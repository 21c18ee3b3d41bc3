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
