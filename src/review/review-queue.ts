import type { DatasetEntity } from '../catalog/entities/dataset.entity';

/** Metadata a harvest cannot supply and a steward adds in a review. */
export type ReviewField = 'licence' | 'rightsHolder' | 'description' | 'keywords';

/** The review fields `dataset` lacks, in a fixed order. */
export function missingFields(
  dataset: Pick<DatasetEntity, 'licenceId' | 'rightsHolder' | 'description' | 'keywords'>,
): ReviewField[] {
  const missing: ReviewField[] = [];
  if (dataset.licenceId === null) {
    missing.push('licence');
  }
  if (dataset.rightsHolder === null || dataset.rightsHolder.trim() === '') {
    missing.push('rightsHolder');
  }
  if (dataset.description === null || dataset.description.trim() === '') {
    missing.push('description');
  }
  if (dataset.keywords.length === 0) {
    missing.push('keywords');
  }
  return missing;
}

/**
 * The SQL condition of the queue over `dataset`: active, never reviewed,
 * and lacking at least one review field, as {@link missingFields} counts
 * them. test/integration/review-queue.spec.ts checks both on the same datasets.
 */
export const IN_REVIEW_QUEUE = `dataset.status = 'active' AND dataset.reviewed_at IS NULL AND (
  dataset.licence_id IS NULL
  OR dataset.rights_holder IS NULL OR btrim(dataset.rights_holder) = ''
  OR dataset.description IS NULL OR btrim(dataset.description) = ''
  OR cardinality(dataset.keywords) = 0)`;

/** Position in the queue: after the dataset with this first harvest time and id. */
export interface QueueCursor {
  firstHarvestedAt: string;
  id: string;
}

export function encodeQueueCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** Decode a cursor, or return null when `text` is not one this queue issued. */
export function decodeQueueCursor(text: string): QueueCursor | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      typeof value === 'object' &&
      value !== null &&
      'firstHarvestedAt' in value &&
      'id' in value &&
      typeof value.firstHarvestedAt === 'string' &&
      typeof value.id === 'string' &&
      !Number.isNaN(Date.parse(value.firstHarvestedAt)) &&
      /^[0-9a-f-]{36}$/.test(value.id)
    ) {
      return { firstHarvestedAt: value.firstHarvestedAt, id: value.id };
    }
  } catch {
    return null;
  }
  return null;
}
