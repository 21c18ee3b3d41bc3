import { Module } from '@nestjs/common';

import { IdentifiersModule } from '../identifiers/identifiers.module';
import { ReviewResolver } from './review.resolver';
import { ReviewService } from './review.service';

/** The steward review queue: harvested datasets that lack licence, rights holder, description or keywords. */
@Module({
  imports: [IdentifiersModule],
  providers: [ReviewService, ReviewResolver],
  exports: [ReviewService],
})
export class ReviewModule {}
