import { Injectable } from '@nestjs/common';

import type { WeftConfig } from './weft-config';

/** The validated configuration, injectable anywhere. */
@Injectable()
export class WeftConfigService {
  constructor(readonly value: WeftConfig) {}
}
