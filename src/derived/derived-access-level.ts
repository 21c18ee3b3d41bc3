import type { EntityManager } from 'typeorm';

/**
 * Give every derived dataset that has `inputPid` among its inputs the
 * strictest access level of its inputs again. Search, the catalog
 * endpoint, OAI-PMH and the sitemap filter by access level in SQL, so a
 * derived dataset must never stay more open than one of its inputs after
 * that input's level changes. Runs in the caller's transaction; returns
 * the identifiers of the derived datasets whose level changed.
 */
export async function refreshDerivedAccessLevels(
  manager: EntityManager,
  inputPid: string,
): Promise<string[]> {
  const rows = (await manager.query(
    `UPDATE "dataset" AS derived
        SET "access_level" = strictest.level, "modified_at" = now()
       FROM (
         SELECT d."id",
                CASE max(CASE i."access_level" WHEN 'public' THEN 0 WHEN 'site' THEN 1 ELSE 2 END)
                  WHEN 0 THEN 'public' WHEN 1 THEN 'site' ELSE 'restricted' END AS level
           FROM "dataset" AS d
           JOIN "dataset" AS i
             ON i."pid" IN (SELECT jsonb_array_elements_text(d."details" -> 'derivation' -> 'inputs'))
          WHERE d."kind" = 'derived' AND d."details" -> 'derivation' -> 'inputs' ? $1
          GROUP BY d."id"
       ) AS strictest
      WHERE derived."id" = strictest."id" AND derived."access_level" <> strictest.level
      RETURNING derived."pid"`,
    [inputPid],
  )) as unknown;
  // On PostgreSQL, TypeORM returns [rows, affected count] for UPDATE … RETURNING.
  const returned = Array.isArray(rows) && Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
  return Array.isArray(returned) ? returned.map((row) => String((row as { pid: string }).pid)) : [];
}
