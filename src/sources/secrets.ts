import { readFileSync, statSync } from 'node:fs';

import type { SecretRef } from './source-config.types';

/** Largest secret file read, in bytes; passwords, tokens and HMAC keys are far smaller. */
const MAX_SECRET_BYTES = 64 * 1024;

/**
 * Read a secret from the file or environment variable a source names. The
 * error says where the secret was expected but never includes its value.
 */
export function resolveSecret(ref: SecretRef | undefined, owner: string): string | undefined {
  if (ref === undefined) {
    return undefined;
  }

  if (ref.file !== undefined) {
    try {
      // A FIFO or a device would block the event loop or never end: only regular, small files count.
      const stats = statSync(ref.file);
      if (!stats.isFile()) {
        throw new Error('not a regular file');
      }
      if (stats.size > MAX_SECRET_BYTES) {
        throw new Error(`larger than ${MAX_SECRET_BYTES} bytes`);
      }
      return readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${owner}: cannot read secret file ${ref.file} (${reason}); create it or fix the path`,
      );
    }
  }

  if (ref.env !== undefined) {
    const value = process.env[ref.env];
    if (value === undefined || value === '') {
      throw new Error(
        `${owner}: environment variable ${ref.env} is empty or unset; set it to the secret`,
      );
    }
    return value;
  }

  return undefined;
}
