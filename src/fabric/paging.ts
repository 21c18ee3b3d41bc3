import { encodeCursor } from './cursor';
import type { PageCursor } from './cursor';
import { FabricError } from './fabric.error';
import type { QueryBudget } from './fabric-settings';
import type { CellValue } from './frame';

/** A page of rows with the cursor of the next one. */
export interface PagedRows {
  rows: CellValue[][];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** The page size of a request: its own limit, or the default, never above the row budget. */
export function pageLimit(
  requested: number | null | undefined,
  defaultRows: number,
  budget: QueryBudget,
): number {
  if (requested === null || requested === undefined) {
    return Math.min(defaultRows, budget.maxRows);
  }
  if (!Number.isSafeInteger(requested) || requested < 1) {
    throw new FabricError(
      'INVALID_QUERY',
      `limit ${requested} is invalid: ask for 1 or more rows per page`,
    );
  }
  if (requested > budget.maxRows) {
    throw new FabricError(
      'ROW_BUDGET_EXCEEDED',
      `limit ${requested} is above the row budget of ${budget.maxRows} rows: ask for at most ${budget.maxRows} rows per page and follow pageInfo.endCursor`,
    );
  }
  return requested;
}

/**
 * Cut the rows fetched (limit + 1) to a page and write the next cursor by
 * offset: the rows skipped so far plus this page.
 */
export function pageByOffset(
  fetched: CellValue[][],
  limit: number,
  cursor: PageCursor,
  fingerprint: string,
): PagedRows {
  const rows = fetched.slice(0, limit);
  const hasNextPage = fetched.length > limit;
  return {
    rows,
    hasNextPage,
    endCursor: hasNextPage
      ? encodeCursor(fingerprint, { offset: cursor.offset + rows.length })
      : null,
  };
}

/**
 * Cut the rows fetched (limit + 1, ordered by the time in column 0) to a
 * page and write a keyset cursor: the last time seen, and how many rows at
 * exactly that time the caller already has, which the next page skips.
 */
export function pageByTime(
  fetched: CellValue[][],
  limit: number,
  cursor: PageCursor,
  fingerprint: string,
): PagedRows {
  const rows = fetched.slice(0, limit);
  const hasNextPage = fetched.length > limit;
  const last = rows[rows.length - 1];
  if (!hasNextPage || last === undefined || typeof last[0] !== 'string') {
    return { rows, hasNextPage, endCursor: null };
  }

  const lastTime = last[0];
  let atLastTime = rows.filter((row) => row[0] === lastTime).length;
  if (cursor.afterTime === lastTime) {
    atLastTime += cursor.offset;
  }
  return {
    rows,
    hasNextPage,
    endCursor: encodeCursor(fingerprint, { offset: atLastTime, afterTime: lastTime }),
  };
}
