import { Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';

import { WeftConfigService } from '../config/weft-config.service';
import { ANONYMOUS } from './viewer';
import type { Role, Viewer } from './viewer';

const KNOWN_ROLES: readonly Role[] = ['researcher', 'steward', 'admin'];

/** Why a request was not authenticated; mapped to HTTP 401 and a GraphQL UNAUTHENTICATED error. */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/**
 * Verifies OpenID Connect access tokens issued by Keycloak (or any OIDC
 * provider) with `jose`: signature against the issuer's JWKS, issuer,
 * audience, expiry. Roles come from Keycloak's `realm_access.roles` claim.
 * The JWKS is fetched lazily and cached by jose, with refetching when a
 * token names an unknown key (key rotation).
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  private jwksUrlPromise: Promise<URL> | null = null;

  constructor(private readonly config: WeftConfigService) {}

  /** Whether sign-in is configured; without it every request is anonymous. */
  get enabled(): boolean {
    return this.config.value.oidcIssuer !== null;
  }

  /** The viewer for an `Authorization` header value; no header means anonymous. */
  async viewerFromHeader(header: string | undefined): Promise<Viewer> {
    if (header === undefined || header.trim() === '') {
      return ANONYMOUS;
    }
    const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
    if (match === null) {
      throw new AuthenticationError(
        'Authorization header is malformed: send "Authorization: Bearer <access token>"',
      );
    }
    if (!this.enabled) {
      throw new AuthenticationError(
        'sign-in is not configured on this server (WEFT_OIDC_ISSUER is unset): send requests without a token',
      );
    }
    return this.verify(match[1]);
  }

  async verify(token: string): Promise<Viewer> {
    const issuer = this.config.value.oidcIssuer as string;
    let payload: JWTPayload;
    try {
      const keys = await this.keys();
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience: this.config.value.oidcAudience ?? undefined,
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        clockTolerance: 30,
      }));
    } catch (error) {
      throw new AuthenticationError(describeVerificationError(error));
    }

    const subject = typeof payload.sub === 'string' ? payload.sub : null;
    const username =
      typeof payload.preferred_username === 'string' ? payload.preferred_username : null;
    const realmRoles = realmRolesOf(payload);
    return {
      subject,
      username,
      roles: KNOWN_ROLES.filter((role) => realmRoles.includes(role)),
      realmRoles,
    };
  }

  private async keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks !== null) {
      return this.jwks;
    }
    this.jwksUrlPromise ??= this.discoverJwksUrl().catch((error: unknown) => {
      this.jwksUrlPromise = null;
      throw error;
    });
    const url = await this.jwksUrlPromise;
    this.jwks = createRemoteJWKSet(url, {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
    return this.jwks;
  }

  private async discoverJwksUrl(): Promise<URL> {
    const configured = this.config.value.oidcJwksUrl;
    if (configured !== null) {
      return new URL(configured);
    }
    const issuer = (this.config.value.oidcIssuer as string).replace(/\/$/, '');
    const discovery = `${issuer}/.well-known/openid-configuration`;
    const response = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) {
      throw new Error(`OpenID discovery at ${discovery} returned HTTP ${response.status}`);
    }
    const document = (await response.json()) as { jwks_uri?: unknown; issuer?: unknown };
    if (typeof document.jwks_uri !== 'string') {
      throw new Error(`OpenID discovery at ${discovery} has no jwks_uri`);
    }
    this.logger.log({ msg: 'OpenID Connect keys discovered', issuer, jwksUri: document.jwks_uri });
    return new URL(document.jwks_uri);
  }
}

/** The realm roles Keycloak lists in `realm_access.roles`; entries that are not strings are dropped. */
function realmRolesOf(payload: JWTPayload): string[] {
  const realmAccess = payload.realm_access as { roles?: unknown } | undefined;
  const claimed: unknown[] = Array.isArray(realmAccess?.roles) ? realmAccess.roles : [];
  return claimed.filter((role): role is string => typeof role === 'string');
}

function describeVerificationError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) {
    return 'access token expired: request a new one from the identity provider';
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `access token rejected: claim "${error.claim}" is invalid (${error.reason}); request a token for this service's audience from its issuer`;
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey
  ) {
    return 'access token signature is invalid: it was not issued by the configured identity provider';
  }
  if (error instanceof joseErrors.JOSEError) {
    return `access token rejected: ${error.message}`;
  }
  return `access token could not be verified: ${error instanceof Error ? error.message : String(error)}`;
}
