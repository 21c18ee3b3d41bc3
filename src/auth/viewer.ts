/** Roles Weft knows, as realm roles in the identity provider. */
export type Role = 'researcher' | 'steward' | 'admin';

/** Who is asking: an anonymous visitor, or a signed-in account with its roles. */
export interface Viewer {
  /** Token subject (`sub`), or null for anonymous requests. */
  subject: string | null;
  /** Human-readable account name (`preferred_username`), for history records. */
  username: string | null;
  /** Weft's own roles among the token's realm roles. */
  roles: Role[];
  /** Every realm role of the token (`realm_access.roles`), Weft's own included; named-role policies match these. */
  realmRoles: string[];
}

export const ANONYMOUS: Viewer = { subject: null, username: null, roles: [], realmRoles: [] };

export function hasRole(viewer: Viewer, role: Role): boolean {
  // Admins configure everything, so they hold every lower role too.
  return viewer.roles.includes(role) || viewer.roles.includes('admin');
}

/** The name recorded in history entries: the username, else the subject. */
export function actorName(viewer: Viewer): string {
  return viewer.username ?? viewer.subject ?? 'anonymous';
}
