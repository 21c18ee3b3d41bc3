import { createHash } from 'node:crypto';

import type { HarvestedDataset } from '../harvest.types';

/**
 * Fingerprint of a harvested dataset's descriptive metadata. Statistics that
 * move with every message (counts, ranges, last seen, rates) are left out,
 * so a dataset counts as updated only when what it is changes: its title,
 * properties, units, datatypes, device or distributions.
 */
export function fingerprint(dataset: HarvestedDataset): string {
  const descriptive = {
    title: dataset.title,
    description: dataset.description ?? null,
    keywords: [...dataset.keywords].sort(),
    place: dataset.place ?? null,
    device: dataset.device ?? null,
    format: dataset.format ?? null,
    properties: [...dataset.properties]
      .map((property) => ({
        name: property.name,
        label: property.label ?? null,
        description: property.description ?? null,
        datatypes: [...property.datatypes].sort(),
        unit: property.unit ?? null,
        quantityKind: property.quantityKind ?? null,
      }))
      .sort((left, right) => left.name.localeCompare(right.name)),
    distributions: [...dataset.distributions]
      .map((distribution) => ({
        key: distribution.key,
        accessUrl: distribution.accessUrl,
        mediaType: distribution.mediaType ?? null,
        format: distribution.format ?? null,
        accessQuery: distribution.accessQuery ?? null,
      }))
      .sort((left, right) => left.key.localeCompare(right.key)),
  };
  return createHash('sha256').update(JSON.stringify(descriptive)).digest('hex').slice(0, 32);
}

/** Words a dataset can be found by, for the full-text index. */
export function searchText(dataset: HarvestedDataset, sourceTitle: string): string {
  const parts: string[] = [
    dataset.title,
    dataset.description ?? '',
    dataset.keywords.join(' '),
    dataset.key.replace(/[/_.;=:-]+/g, ' '),
    dataset.place ?? '',
    dataset.format ?? '',
    dataset.device?.manufacturer ?? '',
    dataset.device?.model ?? '',
    dataset.device?.name ?? '',
    sourceTitle,
  ];
  for (const property of dataset.properties) {
    parts.push(
      property.name.replace(/[._[\]]+/g, ' '),
      property.label ?? '',
      property.quantityKind ?? '',
      property.unit ?? '',
    );
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, 20_000);
}
