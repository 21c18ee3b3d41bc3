import type { DataServiceEntity } from '../../catalog/entities/data-service.entity';
import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { DistributionEntity } from '../../catalog/entities/distribution.entity';
import type { ObservablePropertyEntity } from '../../catalog/entities/observable-property.entity';
import type { SourceSystemEntity } from '../../catalog/entities/source-system.entity';
import type { LicenceEntity } from '../../licences/licence.entity';

/** Everything a dataset's description needs, loaded in one go. */
export interface DatasetRecord {
  dataset: DatasetEntity;
  source: SourceSystemEntity | null;
  /** Observable properties, by name. */
  properties: ObservablePropertyEntity[];
  /** Distributions still offered (withdrawn ones are left out), by key. */
  distributions: DistributionEntity[];
  /** The data service each distribution is served by, keyed by distribution id. */
  accessServices: Map<string, DataServiceEntity>;
  licence: LicenceEntity | null;
  /** Identifier of the harvest run that first created the dataset, when one did. */
  generatedBy: string | null;
}
