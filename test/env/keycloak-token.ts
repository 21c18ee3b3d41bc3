import type { TestEnv } from './load-env';

/** The test users that up.sh creates, named by the realm role each one has. */
export type TestUserRole = 'researcher' | 'steward' | 'admin' | 'norole';

interface Credentials {
  readonly username: string;
  readonly password: string;
}

function credentialsFor(env: TestEnv, role: TestUserRole): Credentials {
  switch (role) {
    case 'researcher':
      return {
        username: env.WEFT_TEST_USER_RESEARCHER,
        password: env.WEFT_TEST_USER_RESEARCHER_PASSWORD,
      };
    case 'steward':
      return {
        username: env.WEFT_TEST_USER_STEWARD,
        password: env.WEFT_TEST_USER_STEWARD_PASSWORD,
      };
    case 'admin':
      return { username: env.WEFT_TEST_USER_ADMIN, password: env.WEFT_TEST_USER_ADMIN_PASSWORD };
    case 'norole':
      return { username: env.WEFT_TEST_USER_NOROLE, password: env.WEFT_TEST_USER_NOROLE_PASSWORD };
    default: {
      const unknownRole: never = role;
      throw new Error(`Unknown test user role: ${String(unknownRole)}`);
    }
  }
}

/**
 * Fetches an access token for the test user with the given realm role from
 * Keycloak, with the OAuth 2.0 password grant (RFC 6749 section 4.3) on the
 * public client weft-cli. The token's audience includes weft-api.
 */
export async function fetchToken(env: TestEnv, role: TestUserRole): Promise<string> {
  const { username, password } = credentialsFor(env, role);
  const tokenUrl = `${env.WEFT_TEST_KEYCLOAK_ISSUER}/protocol/openid-connect/token`;

  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: env.WEFT_TEST_KEYCLOAK_CLIENT_ID,
      username,
      password,
    }),
  });

  const body: unknown = await response.json().catch(() => undefined);

  if (!response.ok) {
    throw new Error(
      `Keycloak rejected the password grant for ${username} at ${tokenUrl}: HTTP ${response.status} ${describeOAuthError(body)}`,
    );
  }

  if (!isTokenResponse(body)) {
    throw new Error(`Keycloak's token response for ${username} at ${tokenUrl} has no access_token`);
  }
  return body.access_token;
}

function isTokenResponse(body: unknown): body is { access_token: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    'access_token' in body &&
    typeof body.access_token === 'string'
  );
}

/** Formats the error and error_description members of an OAuth 2.0 error response (RFC 6749 section 5.2). */
function describeOAuthError(body: unknown): string {
  if (typeof body !== 'object' || body === null) {
    return '(no JSON body)';
  }

  const error = 'error' in body && typeof body.error === 'string' ? body.error : 'unknown_error';
  const description =
    'error_description' in body && typeof body.error_description === 'string'
      ? `: ${body.error_description}`
      : '';
  return `${error}${description}`;
}
