import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';

import { actorName, hasRole } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import { DatasetEntity } from '../catalog/entities/dataset.entity';
import { asJson } from '../common/json';
import { LicenceEntity } from '../licences/licence.entity';
import { DatasetChangeEntity } from '../provenance/dataset-change.entity';
import { ReviewError } from './review.error';
import {
  decodeQueueCursor,
  encodeQueueCursor,
  IN_REVIEW_QUEUE,
  missingFields,
} from './review-queue';
import type { ReviewField } from './review-queue';

export const MAX_QUEUE_PAGE = 100;
const MAX_KEYWORDS = 50;
const MAX_KEYWORD_LENGTH = 100;
const MAX_DESCRIPTION_LENGTH = 10_000;
const MAX_RIGHTS_HOLDER_LENGTH = 500;

/** One dataset waiting for review, with the metadata it lacks. */
export interface QueueEntry {
  dataset: DatasetEntity;
  missing: ReviewField[];
}

export interface QueuePage {
  entries: QueueEntry[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
}

/** A steward's review: the values to set (omitted ones stay as they are) and why. */
export interface Review {
  datasetPid: string;
  licenceId?: string;
  rightsHolder?: string;
  description?: string;
  keywords?: string[];
  reason: string;
}

/**
 * The steward review queue. Harvested datasets arrive without a licence,
 * rights holder, description or keywords. Stewards list them oldest first
 * and fill the gaps in one review, recorded in the dataset's history. A
 * reviewed dataset leaves the queue, and the description and keywords it
 * got stay when the dataset is harvested again.
 */
@Injectable()
export class ReviewService {
  private readonly logger = new Logger(ReviewService.name);

  constructor(private readonly dataSource: DataSource) {}

  async queue(viewer: Viewer, first: number, after: string | null): Promise<QueuePage> {
    requireSteward(viewer, 'list the review queue');
    if (!Number.isInteger(first) || first < 0 || first > MAX_QUEUE_PAGE) {
      throw new ReviewError(
        'INVALID',
        `first=${first} is out of range: ask for 0 to ${MAX_QUEUE_PAGE} datasets per page and follow pageInfo.endCursor`,
      );
    }

    const base = this.dataSource
      .getRepository(DatasetEntity)
      .createQueryBuilder('dataset')
      .where(IN_REVIEW_QUEUE);
    const totalCount = await base.clone().getCount();

    const page = base
      .clone()
      .orderBy('dataset.firstHarvestedAt', 'ASC')
      .addOrderBy('dataset.id', 'ASC')
      .take(first + 1);
    if (after !== null) {
      const cursor = decodeQueueCursor(after);
      if (cursor === null) {
        throw new ReviewError(
          'INVALID',
          `after="${after.slice(0, 80)}" is not a cursor of the review queue: pass pageInfo.endCursor of the previous page`,
        );
      }
      page.andWhere(
        '(dataset.first_harvested_at, dataset.id) > (CAST(:cursorTime AS timestamptz), CAST(:cursorId AS uuid))',
        { cursorTime: cursor.firstHarvestedAt, cursorId: cursor.id },
      );
    }
    const datasets = await page.getMany();
    const hasNextPage = datasets.length > first;
    const items = datasets.slice(0, first);
    const last = items[items.length - 1];
    return {
      entries: items.map((dataset) => ({ dataset, missing: missingFields(dataset) })),
      hasNextPage,
      totalCount,
      endCursor:
        last === undefined
          ? null
          : encodeQueueCursor({
              firstHarvestedAt: last.firstHarvestedAt.toISOString(),
              id: last.id,
            }),
    };
  }

  async review(review: Review, viewer: Viewer): Promise<DatasetEntity> {
    requireSteward(viewer, 'review datasets');
    const reason = review.reason.trim();
    if (reason === '') {
      throw new ReviewError(
        'INVALID',
        'reason is empty: say why these values are set (it is kept in the dataset history)',
      );
    }
    const values = checkValues(review);

    return this.dataSource.transaction(async (manager) => {
      const datasets = manager.getRepository(DatasetEntity);
      const dataset = await datasets.findOne({
        where: { pid: review.datasetPid },
        lock: { mode: 'pessimistic_write' },
      });
      if (dataset === null) {
        throw new ReviewError(
          'NOT_FOUND',
          `dataset ${review.datasetPid} not found: check the identifier`,
        );
      }
      if (values.licenceId !== undefined) {
        await requireKnownLicence(manager, values.licenceId);
      }

      const now = new Date();
      const changes = differences(dataset, values);
      changes.reviewed = { from: dataset.reviewedAt?.toISOString() ?? null, to: now.toISOString() };
      const curated = new Set(dataset.curatedFields);
      if (values.description !== undefined) curated.add('description');
      if (values.keywords !== undefined) curated.add('keywords');

      await datasets.update(
        { id: dataset.id },
        {
          ...values,
          curatedFields: [...curated].sort(),
          // NOTE: the harvested description and keywords stay in the search text until the
          // next harvest rebuilds it from the curated values. The new words are searchable now.
          searchText: [values.description, values.keywords?.join(' '), dataset.searchText]
            .filter((part): part is string => part !== undefined && part !== '')
            .join(' ')
            .slice(0, 20_000),
          reviewedAt: now,
          reviewedBy: actorName(viewer),
          modifiedAt: now,
        },
      );
      await manager.getRepository(DatasetChangeEntity).insert({
        datasetId: dataset.id,
        changeType: 'review',
        changedAt: now,
        changedBy: actorName(viewer),
        reason,
        changes: asJson(changes),
        activityPid: null,
      });
      this.logger.log({
        msg: 'dataset reviewed',
        datasetPid: dataset.pid,
        fields: Object.keys(changes),
        by: actorName(viewer),
      });
      return datasets.findOneOrFail({ where: { id: dataset.id } });
    });
  }
}

interface ReviewValues {
  licenceId?: string;
  rightsHolder?: string;
  description?: string;
  keywords?: string[];
}

/** Trim and check the values of a review, with an error naming the bad value and the fix. */
function checkValues(review: Review): ReviewValues {
  const values: ReviewValues = {};
  if (review.licenceId !== undefined) {
    values.licenceId = review.licenceId.trim();
  }
  if (review.rightsHolder !== undefined) {
    const rightsHolder = review.rightsHolder.trim();
    if (rightsHolder === '' || rightsHolder.length > MAX_RIGHTS_HOLDER_LENGTH) {
      throw new ReviewError(
        'INVALID',
        `rightsHolder "${rightsHolder.slice(0, 80)}" is empty or longer than ${MAX_RIGHTS_HOLDER_LENGTH} characters: name the person or organisation that holds the rights, or omit rightsHolder`,
      );
    }
    values.rightsHolder = rightsHolder;
  }
  if (review.description !== undefined) {
    const description = review.description.trim();
    if (description === '' || description.length > MAX_DESCRIPTION_LENGTH) {
      throw new ReviewError(
        'INVALID',
        `description is empty or longer than ${MAX_DESCRIPTION_LENGTH} characters (${description.length}): write one to ${MAX_DESCRIPTION_LENGTH} characters, or omit description`,
      );
    }
    values.description = description;
  }
  if (review.keywords !== undefined) {
    values.keywords = checkKeywords(review.keywords);
  }
  return values;
}

function checkKeywords(keywords: string[]): string[] {
  const kept = new Set<string>();
  keywords.forEach((keyword, index) => {
    const trimmed = keyword.trim();
    if (trimmed === '' || trimmed.length > MAX_KEYWORD_LENGTH) {
      throw new ReviewError(
        'INVALID',
        `keywords[${index}] "${trimmed.slice(0, 80)}" is empty or longer than ${MAX_KEYWORD_LENGTH} characters: give each keyword as a word or short phrase`,
      );
    }
    kept.add(trimmed);
  });
  if (kept.size === 0 || kept.size > MAX_KEYWORDS) {
    throw new ReviewError(
      'INVALID',
      `keywords has ${kept.size} distinct values: give 1 to ${MAX_KEYWORDS}, or omit keywords`,
    );
  }
  return [...kept].sort();
}

async function requireKnownLicence(manager: EntityManager, licenceId: string): Promise<void> {
  const licence = await manager.getRepository(LicenceEntity).findOne({ where: { id: licenceId } });
  if (licence === null) {
    throw new ReviewError(
      'INVALID',
      `licence "${licenceId.slice(0, 80)}" is not known: use an SPDX identifier from the licences query (such as CC-BY-4.0), or define a custom licence with assignLicence first`,
    );
  }
}

function differences(
  dataset: DatasetEntity,
  values: ReviewValues,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (values.licenceId !== undefined && values.licenceId !== dataset.licenceId) {
    changes.licence = { from: dataset.licenceId, to: values.licenceId };
  }
  if (values.rightsHolder !== undefined && values.rightsHolder !== dataset.rightsHolder) {
    changes.rightsHolder = { from: dataset.rightsHolder, to: values.rightsHolder };
  }
  if (values.description !== undefined && values.description !== dataset.description) {
    changes.description = { from: dataset.description, to: values.description };
  }
  if (
    values.keywords !== undefined &&
    values.keywords.join('\n') !== [...dataset.keywords].sort().join('\n')
  ) {
    changes.keywords = { from: dataset.keywords, to: values.keywords };
  }
  return changes;
}

function requireSteward(viewer: Viewer, action: string): void {
  if (viewer.subject === null) {
    throw new ReviewError(
      'UNAUTHENTICATED',
      `anonymous requests cannot ${action}: sign in with an account that has the steward role`,
    );
  }
  if (!hasRole(viewer, 'steward')) {
    throw new ReviewError(
      'FORBIDDEN',
      `only data stewards may ${action}: sign in with an account that has the steward role`,
    );
  }
}
