import type { SelectQueryBuilder } from 'typeorm';

import { readableDatasetSql } from '../auth/dataset-access';
import type { Viewer } from '../auth/viewer';
import type { AccessLevel, DatasetEntity } from './entities/dataset.entity';

/** Filters of a dataset search; every list is an OR within itself and an AND with the others. */
export interface DatasetFilter {
  text?: string;
  sourceKeys?: string[];
  places?: string[];
  units?: string[];
  quantityKinds?: string[];
  /** SPDX ids; the special value `none` matches datasets without a licence. */
  licences?: string[];
  kinds?: string[];
  accessLevels?: AccessLevel[];
  /** Datasets whose time coverage overlaps [from, to]. */
  coverageFrom?: Date;
  coverageTo?: Date;
  includeWithdrawn?: boolean;
}

/**
 * Turn free text into a prefix-matching tsquery: every word must match the
 * start of some indexed word (`kitch temp` finds "kitchen temperature").
 * Only letters and digits reach the query, so user text cannot inject
 * tsquery operators.
 */
export function toPrefixTsQuery(text: string): string | undefined {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 12);
  if (words.length === 0) {
    return undefined;
  }
  return words.map((word) => `${word}:*`).join(' & ');
}

/** The stored full-text vector (a trigger derives it from search_text). */
export const SEARCH_VECTOR = 'dataset.search_vector';

/**
 * Restrict a query over `dataset` (alias `dataset`) to the datasets whose
 * metadata `viewer` may read, by the rule of `mayReadDataset`.
 */
export function applyReadableFilter(
  query: SelectQueryBuilder<DatasetEntity>,
  viewer: Viewer,
): void {
  const parameters: Record<string, string[]> = {};
  const condition = readableDatasetSql(viewer, 'dataset', (value) => {
    parameters.readerRealmRoles = value;
    return ':readerRealmRoles';
  });
  query.andWhere(condition, parameters);
}

/** Apply the viewer's access rule and the filters to a query over `dataset`, with bound parameters only. */
export function applyDatasetFilter(
  query: SelectQueryBuilder<DatasetEntity>,
  filter: DatasetFilter,
  viewer: Viewer,
): { tsquery: string | undefined } {
  applyReadableFilter(query, viewer);
  if (filter.accessLevels !== undefined) {
    query.andWhere('dataset.access_level IN (:...levels)', {
      levels: filter.accessLevels.length > 0 ? filter.accessLevels : ['__none__'],
    });
  }

  if (filter.includeWithdrawn !== true) {
    query.andWhere("dataset.status = 'active'");
  }

  const tsquery = filter.text === undefined ? undefined : toPrefixTsQuery(filter.text);
  if (tsquery !== undefined) {
    query.andWhere(`${SEARCH_VECTOR} @@ to_tsquery('simple', :tsquery)`, { tsquery });
  }
  if (filter.sourceKeys !== undefined && filter.sourceKeys.length > 0) {
    query.andWhere(
      'dataset.source_id IN (SELECT s.id FROM source_system s WHERE s.source_key IN (:...sourceKeys))',
      {
        sourceKeys: filter.sourceKeys,
      },
    );
  }
  if (filter.places !== undefined && filter.places.length > 0) {
    query.andWhere('dataset.place IN (:...places)', { places: filter.places });
  }
  if (filter.units !== undefined && filter.units.length > 0) {
    query.andWhere('dataset.units && CAST(:units AS text[])', { units: filter.units });
  }
  if (filter.quantityKinds !== undefined && filter.quantityKinds.length > 0) {
    query.andWhere('dataset.quantity_kinds && CAST(:quantityKinds AS text[])', {
      quantityKinds: filter.quantityKinds,
    });
  }
  if (filter.licences !== undefined && filter.licences.length > 0) {
    const named = filter.licences.filter((licence) => licence !== 'none');
    const withNone = filter.licences.includes('none');
    const clauses: string[] = [];
    if (named.length > 0) {
      clauses.push('dataset.licence_id IN (:...licences)');
    }
    if (withNone) {
      clauses.push('dataset.licence_id IS NULL');
    }
    query.andWhere(`(${clauses.join(' OR ')})`, { licences: named });
  }
  if (filter.kinds !== undefined && filter.kinds.length > 0) {
    query.andWhere('dataset.kind IN (:...kinds)', { kinds: filter.kinds });
  }
  if (filter.coverageFrom !== undefined) {
    query.andWhere('dataset.temporal_end >= :coverageFrom', { coverageFrom: filter.coverageFrom });
  }
  if (filter.coverageTo !== undefined) {
    query.andWhere('dataset.temporal_start <= :coverageTo', { coverageTo: filter.coverageTo });
  }
  return { tsquery };
}
