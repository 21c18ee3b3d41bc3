import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { loadTestEnv } from '../env/load-env';

/** A throwaway PostgreSQL database on the test server, dropped by `drop()`. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Create an empty database owned by the test role, so each test file starts
 * from a clean schema and can run the real migrations.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const env = loadTestEnv();
  const name = `weft_test_${randomBytes(6).toString('hex')}`;
  const owner = new URL(env.WEFT_TEST_PG_URL).username;

  const admin = new Client({ connectionString: env.WEFT_TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} OWNER ${quoteIdentifier(owner)}`);
  } finally {
    await admin.end();
  }

  const url = new URL(env.WEFT_TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: env.WEFT_TEST_PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
