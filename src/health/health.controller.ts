import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Liveness and readiness for systemd, Traefik and the deployment checks. */
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async health(): Promise<{ status: 'ok'; database: 'ok' }> {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok', database: 'ok' };
  }
}
