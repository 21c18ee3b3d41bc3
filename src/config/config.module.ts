import { Global, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';

import type { WeftConfig } from './weft-config';
import { WeftConfigService } from './weft-config.service';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: WeftConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: WeftConfigService, useValue: new WeftConfigService(config) }],
      exports: [WeftConfigService],
    };
  }
}
