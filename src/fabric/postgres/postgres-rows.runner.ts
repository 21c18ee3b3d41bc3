import type { Pool, PoolClient } from 'pg';

import type { TableTarget } from '../catalog/query-target';
import type { QueryDeadline } from '../deadline';
import { FabricError } from '../fabric.error';
import type { CellValue, PushedDownQuery } from '../frame';
import type { SqlStatement } from './sql-rows.query';

/**
 * Run one SELECT in a read-only transaction whose statement timeout is the
 * time left in the request's budget, and return its rows as arrays in
 * column order.
 */
export async function runRowsSelect(
  pool: Pool,
  target: TableTarget,
  statement: SqlStatement,
  deadline: QueryDeadline,
  pushedDown: PushedDownQuery[],
): Promise<CellValue[][]> {
  const subject = `the query on table ${target.schema}.${target.table} (dataset ${target.dataset.pid})`;
  deadline.check(subject);

  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw new FabricError(
      'SOURCE_FAILED',
      `${subject} could not connect to source ${target.source.sourceKey}: ${messageOf(error)}`,
      { cause: error },
    );
  }

  // Recorded before sending, so a statement that fails or times out is still in the provenance.
  const recorded: PushedDownQuery = {
    sourcePid: target.source.pid,
    language: 'SQL',
    statement: statement.text,
    params: Object.fromEntries(statement.values.map((value, index) => [`$${index + 1}`, value])),
    rowCount: 0,
  };
  pushedDown.push(recorded);

  let broken = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.ceil(deadline.remainingMs())}`);
    const result = await client.query<unknown[]>({
      text: statement.text,
      values: statement.values,
      rowMode: 'array',
    });
    await client.query('COMMIT');

    const rows = result.rows.map((row) => row.map(toCell));
    recorded.rowCount = rows.length;
    return rows;
  } catch (error) {
    broken = !(await rollback(client));
    throw toFabricError(error, subject, deadline);
  } finally {
    client.release(broken);
  }
}

async function rollback(client: PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

/** Map a PostgreSQL error (by SQLSTATE, PostgreSQL documentation appendix A) to a fabric error with its fix. */
function toFabricError(error: unknown, subject: string, deadline: QueryDeadline): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = messageOf(error);
  if (typeof code !== 'string') {
    return new FabricError('SOURCE_FAILED', `${subject} failed: ${message}`, { cause: error });
  }

  if (code === '57014') {
    return deadline.exceeded(subject, 'add filters, or ask for fewer rows per page');
  }
  if (code.startsWith('22')) {
    return new FabricError(
      'INVALID_QUERY',
      `${subject}: a filter value does not fit its column (${message}); fix the value`,
      { cause: error },
    );
  }
  if (code === '42P01' || code === '42703') {
    return new FabricError(
      'NOT_QUERYABLE',
      `${subject}: the source no longer matches the catalog (${message}); harvest the source again`,
      { cause: error },
    );
  }
  if (code === '42501') {
    return new FabricError(
      'SOURCE_FAILED',
      `${subject}: the source's role may not read it (${message}); GRANT SELECT on it to that role`,
      { cause: error },
    );
  }
  return new FabricError('SOURCE_FAILED', `${subject} failed: ${message}`, { cause: error });
}

function toCell(value: unknown): CellValue {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('base64');
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    return value.map(toCell);
  }
  if (
    typeof value === 'object' &&
    typeof (value as { toISOString?: unknown }).toISOString === 'function'
  ) {
    // Intervals (postgres-interval) write themselves as ISO 8601 durations.
    return String((value as { toISOString: () => string }).toISOString());
  }
  return JSON.parse(JSON.stringify(value)) as CellValue;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
