import type { Request } from 'express';

import type { Viewer } from '../auth/viewer';

/** Per-request GraphQL context. */
export interface GraphqlContext {
  req: Request;
  viewer: Viewer;
}
