import { Module } from '@nestjs/common';

import { CatalogModule } from '../catalog/catalog.module';
import { LinkedDataModule } from '../linked-data/linked-data.module';
import { FairAssessmentResolver } from './fair-assessment.resolver';
import { FairAssessmentService } from './fair-assessment.service';
import { ShaclValidator } from './shacl-validator.service';

/** FAIR self-assessment of datasets: the `fairAssessment` GraphQL query and the `weft fair` command. */
@Module({
  imports: [CatalogModule, LinkedDataModule],
  providers: [ShaclValidator, FairAssessmentService, FairAssessmentResolver],
  exports: [FairAssessmentService],
})
export class FairModule {}
