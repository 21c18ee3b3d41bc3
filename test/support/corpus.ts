import path from 'node:path';

/** Directory of the shared real-world inputs: WEFT_CORPUS_DIR, else `../shared/corpus` beside the repository. */
export function corpusDir(): string {
  return process.env.WEFT_CORPUS_DIR ?? path.resolve(__dirname, '../../../shared/corpus');
}
