import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Connection details and credentials of the throwaway test servers that
 * `bash scripts/test-env/up.sh` starts. docs/testing.md describes each one.
 */
export interface TestEnv {
  /** postgres://weft:…@127.0.0.1:PORT/weft, role weft owning database weft. */
  readonly WEFT_TEST_PG_URL: string;
  /** Superuser on the same server, for creating throwaway databases. */
  readonly WEFT_TEST_PG_ADMIN_URL: string;
  /** Read-only role weft_reader on database weft_fabric. */
  readonly WEFT_TEST_FABRIC_PG_URL: string;

  /** mqtt://127.0.0.1:PORT, the plain listener. */
  readonly WEFT_TEST_MQTT_URL: string;
  /** mqtts://127.0.0.1:PORT, the TLS listener. */
  readonly WEFT_TEST_MQTTS_URL: string;
  /** PEM file of the CA that signed the TLS listener's certificate. */
  readonly WEFT_TEST_MQTT_CA_FILE: string;
  /** Account that may publish and subscribe on every topic ('#'). */
  readonly WEFT_TEST_MQTT_USERNAME: string;
  readonly WEFT_TEST_MQTT_PASSWORD: string;
  /** Account that may only subscribe ('#', read access in the ACL). */
  readonly WEFT_TEST_MQTT_READER_USERNAME: string;
  readonly WEFT_TEST_MQTT_READER_PASSWORD: string;
  /** Broker process id when the environment was loaded; restart.sh changes it. */
  readonly WEFT_TEST_MQTT_PID: number;
  /** The broker's generated mosquitto.conf. */
  readonly WEFT_TEST_MQTT_CONF: string;

  /** http://127.0.0.1:PORT, with authentication enabled. */
  readonly WEFT_TEST_INFLUX_URL: string;
  readonly WEFT_TEST_INFLUX_ADMIN_USERNAME: string;
  readonly WEFT_TEST_INFLUX_ADMIN_PASSWORD: string;
  /** Non-admin user with READ on database weft. */
  readonly WEFT_TEST_INFLUX_USERNAME: string;
  readonly WEFT_TEST_INFLUX_PASSWORD: string;

  /** http://127.0.0.1:PORT, the Keycloak base URL. */
  readonly WEFT_TEST_KEYCLOAK_URL: string;
  /** Token issuer: the base URL followed by /realms/weft. */
  readonly WEFT_TEST_KEYCLOAK_ISSUER: string;
  /** Public client with direct access grants: weft-cli. */
  readonly WEFT_TEST_KEYCLOAK_CLIENT_ID: string;
  /** Audience that tokens of weft-cli carry: weft-api. */
  readonly WEFT_TEST_KEYCLOAK_AUDIENCE: string;
  readonly WEFT_TEST_USER_RESEARCHER: string;
  readonly WEFT_TEST_USER_RESEARCHER_PASSWORD: string;
  readonly WEFT_TEST_USER_STEWARD: string;
  readonly WEFT_TEST_USER_STEWARD_PASSWORD: string;
  readonly WEFT_TEST_USER_ADMIN: string;
  readonly WEFT_TEST_USER_ADMIN_PASSWORD: string;
  readonly WEFT_TEST_USER_NOROLE: string;
  readonly WEFT_TEST_USER_NOROLE_PASSWORD: string;
}

type TestEnvName = keyof TestEnv;

const STRING_VARIABLES = [
  'WEFT_TEST_PG_URL',
  'WEFT_TEST_PG_ADMIN_URL',
  'WEFT_TEST_FABRIC_PG_URL',
  'WEFT_TEST_MQTT_URL',
  'WEFT_TEST_MQTTS_URL',
  'WEFT_TEST_MQTT_CA_FILE',
  'WEFT_TEST_MQTT_USERNAME',
  'WEFT_TEST_MQTT_PASSWORD',
  'WEFT_TEST_MQTT_READER_USERNAME',
  'WEFT_TEST_MQTT_READER_PASSWORD',
  'WEFT_TEST_MQTT_CONF',
  'WEFT_TEST_INFLUX_URL',
  'WEFT_TEST_INFLUX_ADMIN_USERNAME',
  'WEFT_TEST_INFLUX_ADMIN_PASSWORD',
  'WEFT_TEST_INFLUX_USERNAME',
  'WEFT_TEST_INFLUX_PASSWORD',
  'WEFT_TEST_KEYCLOAK_URL',
  'WEFT_TEST_KEYCLOAK_ISSUER',
  'WEFT_TEST_KEYCLOAK_CLIENT_ID',
  'WEFT_TEST_KEYCLOAK_AUDIENCE',
  'WEFT_TEST_USER_RESEARCHER',
  'WEFT_TEST_USER_RESEARCHER_PASSWORD',
  'WEFT_TEST_USER_STEWARD',
  'WEFT_TEST_USER_STEWARD_PASSWORD',
  'WEFT_TEST_USER_ADMIN',
  'WEFT_TEST_USER_ADMIN_PASSWORD',
  'WEFT_TEST_USER_NOROLE',
  'WEFT_TEST_USER_NOROLE_PASSWORD',
] as const satisfies readonly Exclude<TestEnvName, 'WEFT_TEST_MQTT_PID'>[];

/** The file that up.sh writes, with the same keys as env.sh. */
export const TEST_ENV_FILE = join(__dirname, 'state', 'env.json');

const START_HINT = 'start the test servers with `bash scripts/test-env/up.sh`';

/**
 * Reads the test servers' variables. A variable set in the process
 * environment (as after `source test/env/state/env.sh`) wins over
 * test/env/state/env.json. Throws naming the first missing variable.
 */
export function loadTestEnv(): TestEnv {
  const fileValues = readEnvFile();

  const lookup = (name: TestEnvName): string => {
    const value = process.env[name] ?? fileValues[name];
    if (value === undefined || value === '') {
      throw new Error(
        `Test environment variable ${name} is not set in the process environment or in ${TEST_ENV_FILE}; ${START_HINT}.`,
      );
    }
    return value;
  };

  const strings = Object.fromEntries(
    STRING_VARIABLES.map((name) => [name, lookup(name)]),
  ) as Record<(typeof STRING_VARIABLES)[number], string>;

  return { ...strings, WEFT_TEST_MQTT_PID: parseProcessId(lookup('WEFT_TEST_MQTT_PID')) };
}

/** Returns the string values of env.json, or an empty object when the file does not exist. */
function readEnvFile(): Partial<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(TEST_ENV_FILE, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') {
      return {};
    }
    throw error;
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${TEST_ENV_FILE} is not valid JSON; ${START_HINT} again.`, { cause: error });
  }

  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${TEST_ENV_FILE} does not contain a JSON object; ${START_HINT} again.`);
  }

  const values: Partial<Record<string, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') {
      values[key] = value;
    }
  }
  return values;
}

function parseProcessId(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value)) {
    throw new Error(
      `WEFT_TEST_MQTT_PID must be a process id, got "${value}"; ${START_HINT} again.`,
    );
  }
  return Number(value);
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
