import type { AccessLevel } from '../catalog/entities/dataset.entity';

/** Roles Weft knows, as realm roles in the identity provider. */
export type Role = 'researcher' | 'steward' | 'admin';

/** Who is asking: an anonymous visitor, or a signed-in account with its roles. */
export interface Viewer {
  /** Token subject (`sub`), or null for anonymous requests. */
  subject: string | null;
  /** Human-readable account name (`preferred_username`), for history records. */
  username: string | null;
  roles: Role[];
}

export const ANONYMOUS: Viewer = { subject: null, username: null, roles: [] };

/** Access levels a viewer may read: anonymous sees public, researchers also site, stewards and admins all. */
export function readableAccessLevels(viewer: Viewer): AccessLevel[] {
  if (viewer.roles.includes('steward') || viewer.roles.includes('admin')) {
    return ['public', 'site', 'restricted'];
  }
  if (viewer.roles.includes('researcher')) {
    return ['public', 'site'];
  }
  return ['public'];
}

export function hasRole(viewer: Viewer, role: Role): boolean {
  // Admins configure everything, so they hold every lower role too.
  return viewer.roles.includes(role) || viewer.roles.includes('admin');
}

/** The name recorded in history entries: the username, else the subject. */
export function actorName(viewer: Viewer): string {
  return viewer.username ?? viewer.subject ?? 'anonymous';
}
