import { InitialCatalog1764892800000 } from '../../migrations/1764892800000-initial-catalog';
import { FabricQuery1764979200000 } from '../../migrations/1764979200000-fabric-query';

/** Migrations in the order they apply; each file in migrations/ is listed here. */
export const MIGRATIONS = [InitialCatalog1764892800000, FabricQuery1764979200000];
