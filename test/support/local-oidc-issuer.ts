import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK } from 'jose';

/**
 * An OpenID Connect issuer for tests that need realm roles the test
 * Keycloak does not have: it publishes a JWKS on loopback and signs access
 * tokens shaped as Keycloak's (`realm_access.roles`, `preferred_username`,
 * audience `weft-api`). Weft verifies them with the same code as Keycloak
 * tokens; only the key source differs.
 */
export interface LocalOidcIssuer {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** Sign a one-hour access token for `username` with these realm roles. */
  token(username: string, realmRoles: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalOidcIssuer(): Promise<LocalOidcIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'local-test-key', alg: 'RS256' };
  const server: Server = createServer((request, response) => {
    if (request.url === '/jwks') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/realms/local`;
  const audience = 'weft-api';

  return {
    issuer,
    jwksUrl: `http://127.0.0.1:${port}/jwks`,
    audience,
    token: (username, realmRoles) => sign(privateKey, issuer, audience, username, realmRoles),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function sign(
  key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'],
  issuer: string,
  audience: string,
  username: string,
  realmRoles: string[],
): Promise<string> {
  return new SignJWT({ realm_access: { roles: realmRoles }, preferred_username: username })
    .setProtectedHeader({ alg: 'RS256', kid: 'local-test-key' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(`local-${username}`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
}
