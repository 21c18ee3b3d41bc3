import { InitialCatalog1764892800000 } from '../../migrations/1764892800000-initial-catalog';
import { FabricQuery1764979200000 } from '../../migrations/1764979200000-fabric-query';
import { StoredSearchVector1765065600000 } from '../../migrations/1765065600000-stored-search-vector';
import { LicencePolicy1765152000000 } from '../../migrations/1765152000000-licence-policy';
import { AccessPolicyAndReview1765238400000 } from '../../migrations/1765238400000-access-policy-and-review';
import { DataProducts1765324800000 } from '../../migrations/1765324800000-data-products';

/** Migrations in the order they apply; each file in migrations/ is listed here. */
export const MIGRATIONS = [
  InitialCatalog1764892800000,
  FabricQuery1764979200000,
  StoredSearchVector1765065600000,
  LicencePolicy1765152000000,
  AccessPolicyAndReview1765238400000,
  DataProducts1765324800000,
];
