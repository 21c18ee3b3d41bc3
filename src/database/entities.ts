import { DataServiceEntity } from '../catalog/entities/data-service.entity';
import { DatasetEntity } from '../catalog/entities/dataset.entity';
import { DistributionEntity } from '../catalog/entities/distribution.entity';
import { ObservablePropertyEntity } from '../catalog/entities/observable-property.entity';
import { SourceSystemEntity } from '../catalog/entities/source-system.entity';
import { IdentifierEntity } from '../identifiers/identifier.entity';
import { LicenceEntity } from '../licences/licence.entity';
import { FabricQueryEntity } from '../fabric/provenance/fabric-query.entity';
import { DatasetChangeEntity } from '../provenance/dataset-change.entity';
import { HarvestRunEntity } from '../provenance/harvest-run.entity';
import { DataProductAlertEntity } from '../products/entities/data-product-alert.entity';
import { DataProductMemberEntity } from '../products/entities/data-product-member.entity';
import { DataProductEntity } from '../products/entities/data-product.entity';

/** Every TypeORM entity of the catalog schema. */
export const ENTITIES = [
  IdentifierEntity,
  SourceSystemEntity,
  DataServiceEntity,
  DatasetEntity,
  DistributionEntity,
  ObservablePropertyEntity,
  HarvestRunEntity,
  DatasetChangeEntity,
  LicenceEntity,
  FabricQueryEntity,
  DataProductEntity,
  DataProductMemberEntity,
  DataProductAlertEntity,
];
