import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Find the repository's `ontologies/` folder. Sources run from
 * `src/linked-data/json-ld/`, compiled code from `dist/src/linked-data/json-ld/`,
 * and the working directory is the last resort.
 */
export function ontologiesDirectory(): string {
  const candidates = [
    path.resolve(__dirname, '../../../ontologies'),
    path.resolve(__dirname, '../../../../ontologies'),
    path.resolve(process.cwd(), 'ontologies'),
  ];
  for (const candidate of candidates) {
    if (existsSync(path.join(candidate, 'context', 'weft.jsonld'))) {
      return candidate;
    }
  }
  throw new Error(
    `ontologies folder with context/weft.jsonld not found; looked in ${candidates.join(', ')}: run Weft from its repository or keep ontologies/ beside dist/`,
  );
}
