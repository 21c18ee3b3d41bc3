import { Module } from '@nestjs/common';

/** Placeholder until the linked-data endpoints land. */
@Module({})
export class LinkedDataModule {}
