import { mayReadDataset } from '../auth/dataset-access';
import type { Viewer } from '../auth/viewer';
import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import { derivationOf } from './derivation';

/** Looks up datasets by persistent identifier; CatalogService is one. */
export interface DatasetLookup {
  datasetByPid(pid: string): Promise<DatasetEntity | null>;
}

/**
 * Find the first input of a derived dataset the viewer may not read, or null
 * when the viewer may read them all (and always null for harvested
 * datasets). A derived dataset shows data of its inputs, so it is readable
 * only by viewers who may read every one of them. A missing input counts
 * as unreadable.
 */
export async function unreadableInput(
  viewer: Viewer,
  dataset: DatasetEntity,
  lookup: DatasetLookup,
  now: Date = new Date(),
): Promise<string | null> {
  const derivation = derivationOf(dataset.details);
  if (derivation === undefined) {
    return null;
  }
  for (const pid of derivation.inputs) {
    const input = await lookup.datasetByPid(pid);
    if (input === null || !mayReadDataset(viewer, input, now)) {
      return pid;
    }
  }
  return null;
}

/** Tell whether the viewer may read a dataset and, for a derived dataset, every one of its inputs. */
export async function mayReadWithInputs(
  viewer: Viewer,
  dataset: DatasetEntity,
  lookup: DatasetLookup,
  now: Date = new Date(),
): Promise<boolean> {
  if (!mayReadDataset(viewer, dataset, now)) {
    return false;
  }
  return (await unreadableInput(viewer, dataset, lookup, now)) === null;
}
