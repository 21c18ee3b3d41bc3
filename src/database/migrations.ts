import { InitialCatalog1764892800000 } from '../../migrations/1764892800000-initial-catalog';

/** Migrations in the order they apply; each file in migrations/ is listed here. */
export const MIGRATIONS = [InitialCatalog1764892800000];
