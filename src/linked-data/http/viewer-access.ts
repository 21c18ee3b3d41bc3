import type { Request } from 'express';

import { AuthenticationError } from '../../auth/auth.service';
import type { AuthService } from '../../auth/auth.service';
import { describeReaders, mayReadDataset } from '../../auth/dataset-access';
import type { Viewer } from '../../auth/viewer';
import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { unreadableInput } from '../../derived/derived-access';
import type { DatasetLookup } from '../../derived/derived-access';
import { LinkedDataError } from './linked-data.error';

/** The viewer of a request, and whether they sent a verified token at all (401 versus 403). */
export interface ViewerAccess {
  viewer: Viewer;
  signedIn: boolean;
}

/** The realm named in WWW-Authenticate challenges (RFC 6750, section 3). */
const REALM = 'weft';

/**
 * Find the viewer of a request from its Authorization header. A token that
 * fails verification is rejected with 401 and never treated as anonymous,
 * so a client with an expired token learns that it must renew it.
 */
export async function viewerAccessOf(request: Request, auth: AuthService): Promise<ViewerAccess> {
  const header = request.headers.authorization;
  try {
    const viewer = await auth.viewerFromHeader(header);
    return { viewer, signedIn: header !== undefined && header.trim() !== '' };
  } catch (error) {
    if (error instanceof AuthenticationError) {
      throw new LinkedDataError('UNAUTHENTICATED', error.message, {
        'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${challengeText(error.message)}"`,
      });
    }
    throw error;
  }
}

/** Reject a dataset the viewer may not read: 401 for anonymous viewers, 403 for accounts without the role. */
export function assertCanRead(dataset: DatasetEntity, access: ViewerAccess): void {
  if (mayReadDataset(access.viewer, dataset)) {
    return;
  }
  const roles = describeReaders(dataset);
  if (!access.signedIn) {
    throw new LinkedDataError(
      'UNAUTHENTICATED',
      `dataset ${dataset.pid} is not public: send "Authorization: Bearer <access token>" for an account with ${roles}`,
      { 'WWW-Authenticate': `Bearer realm="${REALM}"` },
    );
  }
  throw new LinkedDataError(
    'FORBIDDEN',
    `dataset ${dataset.pid} has access level "${dataset.accessLevel}": it needs ${roles}, which this account lacks`,
  );
}

/**
 * Reject a derived dataset when the viewer may not read one of its inputs:
 * it shows their data, so it is readable only with all of them.
 */
export async function assertCanReadInputs(
  dataset: DatasetEntity,
  access: ViewerAccess,
  lookup: DatasetLookup,
): Promise<void> {
  const unreadable = await unreadableInput(access.viewer, dataset, lookup);
  if (unreadable === null) {
    return;
  }
  if (!access.signedIn) {
    throw new LinkedDataError(
      'UNAUTHENTICATED',
      `dataset ${dataset.pid} is derived from datasets that are not public: send "Authorization: Bearer <access token>" for an account that may read all of them`,
      { 'WWW-Authenticate': `Bearer realm="${REALM}"` },
    );
  }
  throw new LinkedDataError(
    'FORBIDDEN',
    `dataset ${dataset.pid} is derived from dataset ${unreadable}, which this account may not read`,
  );
}

/** Text safe inside a quoted challenge parameter: RFC 6750 allows no `"` or `\` in error_description. */
function challengeText(message: string): string {
  return message
    .replace(/["\\]/g, "'")
    .replace(/[^\x20-\x7e]/g, ' ')
    .slice(0, 300);
}
